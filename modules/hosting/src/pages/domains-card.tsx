"use client";
// A workspace's custom domains: add one (the TXT and CNAME records to publish are shown),
// check its TXT record (verify: the outcome and the last error), remove it. Owners and admins
// change domains; the service refuses members (FORBIDDEN_ROLE, reported as a toast).
import { useState, type FormEvent } from "react";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Input } from "@plinth/ui/input";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import type { HostingOutputs } from "../trpc.ts";
import { api } from "./api.ts";

type Domain = HostingOutputs["domain"]["list"][number];

const STATUS_VARIANT = {
  PENDING: "info",
  VERIFIED: "success",
  FAILED: "destructive",
  EXPIRED: "warning",
} as const;

function RecordLine({
  label,
  record,
}: {
  label: string;
  record: Domain["verification"] | Domain["target"];
}) {
  return (
    <div className="grid gap-0.5 text-xs">
      <span className="text-muted-foreground">{label}</span>
      <code className="font-mono break-all">
        {record.type} {record.name} → {record.value}
      </code>
    </div>
  );
}

export function DomainsCard({
  organizationId,
  workspaceId,
  destroyed,
}: {
  organizationId: string;
  workspaceId: string;
  destroyed: boolean;
}) {
  const input = { organizationId, workspaceId };
  const utils = api.useUtils();
  const domains = api.domain.list.useQuery(input);
  const [hostname, setHostname] = useState("");
  const refresh = () => utils.domain.list.invalidate(input);
  const onError = (error: Parameters<typeof reportError>[0]) => reportError(error);
  const add = api.domain.add.useMutation({
    onSuccess: async (domain) => {
      setHostname("");
      toast.success(`${domain.hostname} added: publish its TXT record, then verify`);
      await refresh();
    },
    onError,
  });
  const verify = api.domain.verify.useMutation({
    onSuccess: async ({ outcome, domain }) => {
      if (outcome === "verified") toast.success(`${domain.hostname} is verified`);
      else toast.error(domain.lastError ?? `${domain.hostname} is not verified yet`);
      await refresh();
    },
    onError,
  });
  const remove = api.domain.remove.useMutation({
    onSuccess: async ({ hostname: removed }) => {
      toast.success(`${removed} removed`);
      await refresh();
    },
    onError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (hostname.trim()) add.mutate({ ...input, hostname: hostname.trim() });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Domains</CardTitle>
        <CardDescription>
          Custom domains for this workspace, verified by a DNS TXT record.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {domains.data?.length === 0 ? (
          <p className="text-sm text-muted-foreground">No custom domains yet.</p>
        ) : null}
        {domains.data?.map((domain) => (
          <section
            key={domain.id}
            aria-label={`Domain ${domain.hostname}`}
            className="grid gap-2 rounded-md border p-3"
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{domain.hostname}</span>
              <Badge variant={STATUS_VARIANT[domain.status]}>{domain.status.toLowerCase()}</Badge>
              <span className="ml-auto flex gap-2">
                <Button
                  size="sm"
                  variant="outline"
                  disabled={destroyed || verify.isPending}
                  onClick={() => verify.mutate({ ...input, domainId: domain.id })}
                >
                  Verify
                </Button>
                <Button
                  size="sm"
                  variant="destructive"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ ...input, domainId: domain.id })}
                >
                  Remove
                </Button>
              </span>
            </div>
            {domain.lastError ? (
              <p className="text-sm text-destructive">{domain.lastError}</p>
            ) : null}
            <RecordLine label="Publish (ownership)" record={domain.verification} />
            <RecordLine label="Point the domain (traffic)" record={domain.target} />
          </section>
        ))}
        {destroyed ? null : (
          <form className="flex flex-wrap items-end gap-2" onSubmit={submit}>
            <Input
              aria-label="Domain"
              placeholder="shop.example.com"
              value={hostname}
              maxLength={253}
              onChange={(event) => setHostname(event.target.value)}
              className="max-w-xs"
            />
            <Button type="submit" disabled={add.isPending || !hostname.trim()}>
              Add domain
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
