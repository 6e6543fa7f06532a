"use client";
// API keys: list (name, prefix + last four, scopes, creator, dates, status), create with
// scopes and expiry (the key is shown once, with a copy button), revoke (confirmed), rotate
// with a grace window (both keys listed until the old one stops).
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Checkbox } from "@plinth/ui/checkbox";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@plinth/ui/dialog";
import { Form, InputField } from "@plinth/ui/form";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

type ApiKey = RouterOutputs["apiKey"]["list"][number];
type Scope = RouterOutputs["apiKey"]["scopes"][number];

const EXPIRY_CHOICES = [
  { label: "Never", days: null },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
] as const;
const GRACE_CHOICES = [0, 1, 24, 168] as const;

export function ApiKeysView(props: {
  organizationId: string;
  initialKeys: ApiKey[];
  scopes: Scope[];
}) {
  const { organizationId } = props;
  const utils = trpc.useUtils();
  const keys = trpc.apiKey.list.useQuery({ organizationId }, { initialData: props.initialKeys });
  const refresh = () => utils.apiKey.list.invalidate({ organizationId });
  const [shown, setShown] = useState<{ key: string; name: string } | null>(null);
  const [grace, setGrace] = useState<number>(24);

  const form = useContractForm("createApiKeyInput", {
    defaultValues: { name: "", scopes: [], expiresInDays: null, environment: "live" },
  });
  const create = trpc.apiKey.create.useMutation({
    onSuccess: async (created) => {
      form.reset();
      setShown({ key: created.key, name: created.apiKey.name });
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const revoke = trpc.apiKey.revoke.useMutation({
    onSuccess: async (key) => {
      toast.success(`Key “${key.name}” revoked`);
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const rotate = trpc.apiKey.rotate.useMutation({
    onSuccess: async (rotated) => {
      setShown({ key: rotated.key, name: rotated.apiKey.name });
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const selected = form.watch("scopes");
  const expiry = form.watch("expiresInDays");

  return (
    <div className="grid gap-6">
      <PageHeader title="API keys" description="Keys for the public API and internal apps." />
      <Card>
        <CardHeader>
          <CardTitle>New key</CardTitle>
          <CardDescription>The key is shown once, right after you create it.</CardDescription>
        </CardHeader>
        <CardContent>
          <Form {...form}>
            <form
              aria-label="New API key"
              className="grid gap-4"
              noValidate
              onSubmit={(event) =>
                void form.handleSubmit((values) => create.mutate({ organizationId, ...values }))(
                  event,
                )
              }
            >
              <InputField control={form.control} name="name" label="Name" maxLength={100} />
              <fieldset className="grid gap-2">
                <legend className="mb-1 text-sm font-medium">Scopes</legend>
                {props.scopes.map((scope) => (
                  <label key={scope.name} className="flex items-center gap-2 text-sm">
                    <Checkbox
                      checked={selected.includes(scope.name)}
                      onCheckedChange={(checked) =>
                        form.setValue(
                          "scopes",
                          checked
                            ? [...selected, scope.name]
                            : selected.filter((name) => name !== scope.name),
                        )
                      }
                    />
                    <code>{scope.name}</code>
                    <span className="text-muted-foreground">{scope.description}</span>
                  </label>
                ))}
                {form.formState.errors.scopes ? (
                  <p className="text-sm text-destructive">Choose at least one scope</p>
                ) : null}
              </fieldset>
              <fieldset className="flex flex-wrap items-center gap-2">
                <legend className="mb-1 text-sm font-medium">Expires</legend>
                {EXPIRY_CHOICES.map((choice) => (
                  <Button
                    key={choice.label}
                    type="button"
                    size="sm"
                    variant={expiry === choice.days ? "default" : "outline"}
                    aria-pressed={expiry === choice.days}
                    onClick={() => form.setValue("expiresInDays", choice.days)}
                  >
                    {choice.label}
                  </Button>
                ))}
              </fieldset>
              <div>
                <Button type="submit" loading={create.isPending}>
                  Create key
                </Button>
              </div>
            </form>
          </Form>
        </CardContent>
      </Card>

      <Card className="py-0">
        <Table aria-label="API keys">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Scopes</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(keys.data ?? []).length === 0 ? (
              <TableEmpty colSpan={8}>No API keys yet.</TableEmpty>
            ) : (
              (keys.data ?? []).map((key) => (
                <TableRow key={key.id}>
                  <TableCell>{key.name}</TableCell>
                  <TableCell>
                    <code>{key.display}</code>
                  </TableCell>
                  <TableCell className="text-xs">{key.scopes.join(", ")}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {formatDay(key.createdAt)}
                    {key.createdBy ? (
                      <span className="text-muted-foreground"> by {key.createdBy.email}</span>
                    ) : null}
                  </TableCell>
                  <TableCell>{key.lastUsedAt ? formatDay(key.lastUsedAt) : "—"}</TableCell>
                  <TableCell>
                    {key.graceEndsAt
                      ? formatDay(key.graceEndsAt)
                      : key.expiresAt
                        ? formatDay(key.expiresAt)
                        : "never"}
                  </TableCell>
                  <TableCell>
                    <Badge variant={key.status === "active" ? "default" : "secondary"}>
                      {key.status}
                    </Badge>
                  </TableCell>
                  <TableCell className="flex gap-2">
                    {key.status === "active" ? (
                      <>
                        <ConfirmDialog
                          trigger={
                            <Button size="sm" variant="outline">
                              Rotate
                            </Button>
                          }
                          destructive={false}
                          title={`Rotate “${key.name}”?`}
                          description="A new key replaces this one; the old key keeps working for the grace period."
                          confirmLabel="Rotate"
                          onConfirm={() =>
                            rotate.mutateAsync({
                              organizationId,
                              apiKeyId: key.id,
                              graceHours: grace,
                            })
                          }
                        >
                          <div
                            className="flex flex-wrap gap-2"
                            role="group"
                            aria-label="Grace period"
                          >
                            {GRACE_CHOICES.map((hours) => (
                              <Button
                                key={hours}
                                type="button"
                                size="sm"
                                variant={grace === hours ? "default" : "outline"}
                                aria-pressed={grace === hours}
                                onClick={() => setGrace(hours)}
                              >
                                {hours === 0
                                  ? "Stop now"
                                  : hours < 24
                                    ? `${hours} h`
                                    : `${hours / 24} d`}
                              </Button>
                            ))}
                          </div>
                        </ConfirmDialog>
                        <ConfirmDialog
                          trigger={
                            <Button size="sm" variant="destructive">
                              Revoke
                            </Button>
                          }
                          title={`Revoke “${key.name}”?`}
                          description="Requests with this key fail within a second, everywhere."
                          confirmLabel="Revoke"
                          onConfirm={() => revoke.mutateAsync({ organizationId, apiKeyId: key.id })}
                        />
                      </>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>

      <Dialog open={shown !== null} onOpenChange={(open) => (open ? null : setShown(null))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Your new key “{shown?.name}”</DialogTitle>
            <DialogDescription>
              Copy it now: it is not stored and cannot be shown again.
            </DialogDescription>
          </DialogHeader>
          <code className="break-all rounded-md border bg-muted p-3 text-sm">{shown?.key}</code>
          <DialogFooter>
            <Button
              type="button"
              onClick={() => {
                if (!shown) return;
                navigator.clipboard.writeText(shown.key).then(
                  () => toast.success("Key copied"),
                  () => toast.error("Could not copy: select the key and copy it by hand"),
                );
              }}
            >
              Copy key
            </Button>
            <Button type="button" variant="outline" onClick={() => setShown(null)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
