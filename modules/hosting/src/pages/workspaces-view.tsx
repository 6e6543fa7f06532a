"use client";
// Workspaces: request one (app, version, size, region from the catalogue, billed as an app plan
// or a bundle; refused by the plan → the upgrade prompt), with the price it adds to the
// subscription previewed (prorated, from the provider) before requesting, and the list, polled
// while a run is in progress.
import { Server } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useState } from "react";
import { HOSTING_APPS, HOSTING_BUNDLES, HOSTING_REGIONS } from "../contract.ts";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import {
  Form,
  FormControl,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  InputField,
} from "@plinth/ui/form";
import { formatDay, formatMoney } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { upgradeOfferOf, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { reportError } from "@plinth/web-kit/feedback";
import { StateBadge } from "./state-badge.tsx";
import type { HostingOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

const UpgradeDialog = dynamic(
  () => import("@plinth/ui/upgrade-dialog").then((m) => m.UpgradeDialog),
  { ssr: false },
);

type Workspace = HostingOutputs["workspace"]["list"][number];

interface Props {
  organizationId: string;
  slug: string;
  planName: string;
  initial: Workspace[];
}

const FIRST = HOSTING_APPS[0]!;

/** What a workspace is billed as: "" (the app's default plan for the size), plan:…, bundle:…. */
function choiceOf(value: string): { plan?: string; bundle?: string } {
  if (value.startsWith("plan:")) return { plan: value.slice(5) };
  if (value.startsWith("bundle:")) return { bundle: value.slice(7) };
  return {};
}

const UNBILLED: Record<string, string> = {
  trial: "Included in your trial (one small workspace): nothing is charged.",
  no_paid_subscription: "Included in your plan: nothing is charged per workspace.",
  plan_priced: "Included in your plan's price: nothing is charged per workspace.",
};

type Preview = HostingOutputs["workspace"]["previewRequest"];

function PricePreview({ preview, loading }: { preview: Preview | undefined; loading: boolean }) {
  if (!preview) {
    return (
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {loading ? "Pricing…" : ""}
      </p>
    );
  }
  const { item, change, unbilledReason } = preview;
  return (
    <div className="text-sm sm:col-span-3" aria-label="Price" aria-live="polite">
      {item ? (
        <p>
          Billed as <strong>{item.name}</strong>
          {item.monthCents !== null ? ` — ${formatMoney(item.monthCents)} a month` : ""}.
        </p>
      ) : null}
      {unbilledReason ? (
        <p className="text-muted-foreground">{UNBILLED[unbilledReason]}</p>
      ) : change ? (
        <p className="text-muted-foreground">
          {change.prorationAmount === 0
            ? "No change to your subscription now (a bundle unit already covers it)."
            : `Prorated for the rest of this ${change.interval}: ${formatMoney(change.prorationAmount, change.currency)}${
                change.amountDueNow > 0
                  ? ` charged now.`
                  : change.provider === "stripe"
                    ? " on your next invoice."
                    : "."
              }`}
        </p>
      ) : null}
    </div>
  );
}

export function WorkspacesView({ organizationId, slug, planName, initial }: Props) {
  const utils = api.useUtils();
  const listInput = { organizationId, includeDestroyed: true };
  const workspaces = api.workspace.list.useQuery(listInput, {
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.some((w) => w.busy) ? 1_000 : false),
  });
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const form = useContractForm("requestWorkspaceInput", {
    defaultValues: {
      name: "",
      app: FIRST.key,
      version: FIRST.versions[0]!,
      size: FIRST.sizes[0]!.key,
      region: HOSTING_REGIONS[0],
    },
  });
  const app = HOSTING_APPS.find((candidate) => candidate.key === form.watch("app")) ?? FIRST;
  const [billedAs, setBilledAs] = useState("");
  const size = form.watch("size");
  const previewInput = {
    organizationId,
    app: app.key,
    version: form.watch("version"),
    size,
    region: form.watch("region"),
    ...choiceOf(billedAs),
  };
  const preview = api.workspace.previewRequest.useQuery(previewInput, { retry: false });
  const billingOptions = [
    { value: "", label: "Plan for the size" },
    ...Object.entries(app.plans)
      .filter(([, plan]) => plan.sizes.includes(size))
      .map(([key, plan]) => ({ value: `plan:${key}`, label: plan.name })),
    ...HOSTING_BUNDLES.filter((bundle) => bundle.apps.includes(app.key)).map((bundle) => ({
      value: `bundle:${bundle.key}`,
      label: `${bundle.name} bundle`,
    })),
  ];
  const request = api.workspace.request.useMutation({
    onSuccess: async ({ workspace }) => {
      form.reset();
      setBilledAs("");
      toast.success(`Workspace “${workspace.name}” requested: provisioning`);
      await utils.workspace.list.invalidate(listInput);
    },
    onError: (error) => reportError(error, { form, onRefusal: setRefusal }),
  });
  const rows = workspaces.data ?? [];

  const select = (
    name: "app" | "version" | "size" | "region",
    label: string,
    options: { value: string; label: string }[],
    onChange?: (value: string) => void,
  ) => (
    <FormField
      control={form.control}
      name={name}
      render={({ field }) => (
        <FormItem>
          <FormLabel>{label}</FormLabel>
          <Select
            value={field.value}
            onValueChange={(value) => {
              field.onChange(value);
              onChange?.(value);
            }}
          >
            <FormControl>
              <SelectTrigger aria-label={label}>
                <SelectValue />
              </SelectTrigger>
            </FormControl>
            <SelectContent>
              {options.map((option) => (
                <SelectItem key={option.value} value={option.value}>
                  {option.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <FormMessage />
        </FormItem>
      )}
    />
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Workspaces"
        description="Hosted apps, each with its own database, provisioned on request."
      />

      <Card>
        <CardHeader>
          <CardTitle>Request a workspace</CardTitle>
          <CardDescription>
            Your {planName} plan decides how many workspaces you can have and which sizes.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Form {...form}>
            <form
              aria-label="Request a workspace"
              className="grid gap-3 sm:grid-cols-3"
              noValidate
              onSubmit={(event) =>
                void form.handleSubmit((values) =>
                  request.mutate({ organizationId, ...values, ...choiceOf(billedAs) }),
                )(event)
              }
            >
              <InputField
                control={form.control}
                name="name"
                label="Name"
                placeholder="e.g. clinic-emr"
                maxLength={63}
              />
              {select(
                "app",
                "App",
                HOSTING_APPS.map((a) => ({ value: a.key, label: a.name })),
                (value) => {
                  const next = HOSTING_APPS.find((a) => a.key === value) ?? FIRST;
                  form.setValue("version", next.versions[0]!);
                  form.setValue("size", next.sizes[0]!.key);
                  setBilledAs("");
                },
              )}
              {select(
                "version",
                "Version",
                app.versions.map((version) => ({ value: version, label: version })),
              )}
              {select(
                "size",
                "Size",
                app.sizes.map((size) => ({
                  value: size.key,
                  label: `${size.label} (${size.cpu} vCPU, ${size.memoryMb / 1024} GB)`,
                })),
              )}
              {select(
                "region",
                "Region",
                HOSTING_REGIONS.map((region) => ({ value: region, label: region })),
              )}
              <FormItem>
                <FormLabel htmlFor="billed-as">Billed as</FormLabel>
                <Select
                  value={billedAs || "default"}
                  onValueChange={(v) => setBilledAs(v === "default" ? "" : v)}
                >
                  <SelectTrigger id="billed-as" aria-label="Billed as">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {billingOptions.map((option) => (
                      <SelectItem key={option.value || "default"} value={option.value || "default"}>
                        {option.label}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </FormItem>
              <PricePreview preview={preview.data} loading={preview.isFetching} />
              <Button type="submit" loading={request.isPending} className="sm:mt-[1.375rem]">
                Request workspace
              </Button>
            </form>
          </Form>
        </CardContent>
      </Card>

      {rows.length === 0 ? (
        <EmptyState icon={<Server aria-hidden="true" />} title="No workspaces yet">
          Request one above: it is provisioned in a few seconds.
        </EmptyState>
      ) : (
        <Card>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>App</TableHead>
                  <TableHead>Size</TableHead>
                  <TableHead>Region</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>Requested</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((workspace) => (
                  <TableRow key={workspace.id}>
                    <TableCell>
                      <Link
                        className="font-medium underline-offset-4 hover:underline"
                        href={`/o/${slug}/workspaces/${workspace.id}`}
                      >
                        {workspace.name}
                      </Link>
                    </TableCell>
                    <TableCell>
                      {HOSTING_APPS.find((a) => a.key === workspace.app)?.name ?? workspace.app}{" "}
                      {workspace.version}
                    </TableCell>
                    <TableCell>{workspace.size}</TableCell>
                    <TableCell>{workspace.region}</TableCell>
                    <TableCell>
                      <StateBadge state={workspace.state} />
                    </TableCell>
                    <TableCell>{formatDay(workspace.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      {refusal ? (
        <UpgradeDialog
          open
          onOpenChange={(open) => {
            if (!open) setRefusal(null);
          }}
          {...upgradeOfferOf(refusal, planName)}
          upgradeLink={<Link href={`/o/${slug}/billing`}>See plans and upgrade</Link>}
        />
      ) : null}
    </div>
  );
}
