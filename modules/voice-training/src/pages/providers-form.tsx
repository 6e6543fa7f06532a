"use client";
// An admin's choice of the company's speech adapters, its LLM (the prospect and the coach) and
// its own keys (write-only: a stored key shows only its last 4 characters and when it was set; a
// new one replaces it).
import { useRouter } from "next/navigation";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
} from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
import { formatDay } from "@plinth/ui/lib/format";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import type { LlmModelChoice } from "../contract.ts";
import type { VoiceTrainingOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

type ProviderSettings = VoiceTrainingOutputs["practice"]["providers"];
type Vendor = keyof ProviderSettings["keys"];

/** The select's value for "the platform's adapter" (the contract's null). */
const PLATFORM = "platform";

/** The contract's LLM_MODEL_CHOICES (a type-only import keeps zod out of the first load). */
const LLM_MODELS: Record<LlmModelChoice, string> = {
  "gpt-4o-mini": "GPT-4o mini",
  "gpt-4o": "GPT-4o",
  "gpt-4.1-nano": "GPT-4.1 nano",
  "gpt-4.1-mini": "GPT-4.1 mini",
  "gpt-4.1": "GPT-4.1",
};
const isLlmModel = (value: string): value is LlmModelChoice => value in LLM_MODELS;

const VENDORS: { vendor: Vendor; label: string }[] = [
  { vendor: "openai", label: "OpenAI key" },
  { vendor: "deepgram", label: "Deepgram key" },
  { vendor: "elevenlabs", label: "ElevenLabs key" },
];

export function ProvidersForm({
  organizationId,
  settings,
}: {
  organizationId: string;
  settings: ProviderSettings;
}) {
  const router = useRouter();
  const form = useContractForm("practiceProvidersInput", {
    defaultValues: {
      speechToText: settings.speechToText,
      textToSpeech: settings.textToSpeech,
      llm: settings.llm,
      keys: {},
    },
  });
  const onSaved = (saved: ProviderSettings) => {
    form.reset({
      speechToText: saved.speechToText,
      textToSpeech: saved.textToSpeech,
      llm: saved.llm,
      keys: {},
    });
    router.refresh();
  };
  const update = api.practice.updateProviders.useMutation({
    onSuccess: (saved) => {
      toast.success("Provider settings saved; keys are stored encrypted");
      onSaved(saved);
    },
    onError: (error) => reportError(error, { form }),
  });
  const remove = api.practice.deleteProviderKey.useMutation({
    onSuccess: (saved) => {
      toast.success("Key removed");
      onSaved(saved);
    },
    onError: (error) => reportError(error),
  });
  const platform = settings.platform;
  return (
    <Form {...form}>
      <form
        aria-label="Speech and AI providers"
        className="grid gap-4"
        noValidate
        onSubmit={(event) =>
          void form.handleSubmit((values) => update.mutate({ organizationId, ...values }))(event)
        }
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField
            control={form.control}
            name="speechToText"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Speech-to-text</FormLabel>
                <Select
                  value={field.value ?? PLATFORM}
                  onValueChange={(value) => field.onChange(value === PLATFORM ? null : value)}
                >
                  <FormControl>
                    <SelectTrigger>
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    <SelectItem value={PLATFORM}>
                      The platform&apos;s ({platform.speechToText.name})
                    </SelectItem>
                    <SelectItem value="pocketsphinx">PocketSphinx (offline)</SelectItem>
                    <SelectItem value="openai">OpenAI (your key)</SelectItem>
                    <SelectItem value="deepgram">Deepgram (your key)</SelectItem>
                  </SelectContent>
                </Select>
                <FormDescription>Transcribes the trainee while they speak.</FormDescription>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="textToSpeech"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Prospect&apos;s voice</FormLabel>
                <Select
                  value={field.value ?? PLATFORM}
                  onValueChange={(value) => field.onChange(value === PLATFORM ? null : value)}
                >
                  <FormControl>
                    <SelectTrigger>
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    <SelectItem value={PLATFORM}>
                      The platform&apos;s ({platform.textToSpeech?.name ?? "text only"})
                    </SelectItem>
                    <SelectItem value="espeak">espeak-ng (offline)</SelectItem>
                    <SelectItem value="elevenlabs">ElevenLabs (your key)</SelectItem>
                    <SelectItem value="none">None: text replies only</SelectItem>
                  </SelectContent>
                </Select>
                <FormDescription>Speaks the AI prospect&apos;s replies.</FormDescription>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="llm"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Prospect and coach (AI)</FormLabel>
                <Select
                  value={field.value?.model ?? PLATFORM}
                  onValueChange={(value) =>
                    field.onChange(
                      isLlmModel(value) ? { provider: "openai" as const, model: value } : null,
                    )
                  }
                >
                  <FormControl>
                    <SelectTrigger>
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    <SelectItem value={PLATFORM}>
                      The platform&apos;s ({platform.llm.name})
                    </SelectItem>
                    {Object.entries(LLM_MODELS).map(([model, label]) => (
                      <SelectItem key={model} value={model}>
                        OpenAI {label} (your key)
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
                <FormDescription>
                  Plays the prospect and writes the feedback; OpenAI uses your OpenAI key.
                </FormDescription>
                <FormMessage />
              </FormItem>
            )}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          {VENDORS.map(({ vendor, label }) => {
            const stored = settings.keys[vendor];
            return (
              <FormField
                key={vendor}
                control={form.control}
                name={`keys.${vendor}`}
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{label}</FormLabel>
                    <FormControl>
                      <Input
                        type="password"
                        autoComplete="off"
                        spellCheck={false}
                        placeholder={stored ? "Paste a new key to replace it" : "Paste the key"}
                        name={field.name}
                        ref={field.ref}
                        onBlur={field.onBlur}
                        value={field.value ?? ""}
                        // Empty: keep the stored key (the contract's "left out").
                        onChange={(e) =>
                          field.onChange(e.target.value === "" ? undefined : e.target.value)
                        }
                      />
                    </FormControl>
                    <FormDescription className="flex flex-wrap items-center gap-2">
                      {stored ? (
                        <>
                          <Badge variant="secondary" className="font-mono">
                            {stored.hint || "set"}
                          </Badge>
                          <span>set {formatDay(stored.updatedAt)}</span>
                          <Button
                            type="button"
                            variant="ghost"
                            size="sm"
                            loading={remove.isPending && remove.variables.vendor === vendor}
                            onClick={() => remove.mutate({ organizationId, vendor })}
                          >
                            Remove
                          </Button>
                        </>
                      ) : (
                        <span>Not set</span>
                      )}
                    </FormDescription>
                    <FormMessage />
                  </FormItem>
                )}
              />
            );
          })}
        </div>
        <div>
          <Button type="submit" loading={update.isPending} disabled={!form.formState.isDirty}>
            Save provider settings
          </Button>
        </div>
      </form>
    </Form>
  );
}
