"use client";
// One API product: its settings, its endpoints (add, price, limit, archive, delete), its
// status (active, deprecated with a sunset date, archived) and, when private, the
// organizations that may call it. Forms validate with the procedures' own contracts.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Form, InputField } from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
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
import { formatPrice } from "@plinth/api-catalog/format";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

type Product = RouterOutputs["apiCatalog"]["get"];
const SELECT = "h-9 rounded-md border border-input bg-transparent px-3 text-sm";

export function ProductView({ initialProduct }: { initialProduct: Product }) {
  const router = useRouter();
  const productId = initialProduct.id;
  const utils = trpc.useUtils();
  const product = trpc.apiCatalog.get.useQuery({ productId }, { initialData: initialProduct });
  const refresh = () => utils.apiCatalog.get.invalidate({ productId });
  const onError = (error: Parameters<typeof reportError>[0]) => reportError(error);

  const endpointForm = useContractForm("createEndpointInput", {
    defaultValues: {
      productId,
      method: "GET",
      path: "",
      upstreamPath: "",
      summary: "",
      unitsRule: "PER_CALL",
      pricePerCallMicroCents: 0,
      pricePerUnitMicroCents: 0,
    },
  });
  const createEndpoint = trpc.apiCatalog.createEndpoint.useMutation({
    onSuccess: async (endpoint) => {
      toast.success(`${endpoint.method} ${endpoint.path} added`);
      endpointForm.reset();
      await refresh();
    },
    onError: (error) => reportError(error, { form: endpointForm }),
  });
  const updateEndpoint = trpc.apiCatalog.updateEndpoint.useMutation({
    onSuccess: refresh,
    onError,
  });
  const deleteEndpoint = trpc.apiCatalog.deleteEndpoint.useMutation({
    onSuccess: refresh,
    onError,
  });
  const setStatus = trpc.apiCatalog.setProductStatus.useMutation({ onSuccess: refresh, onError });
  const deleteProduct = trpc.apiCatalog.deleteProduct.useMutation({
    onSuccess: () => router.push("/admin/apis"),
    onError,
  });
  const grantForm = useContractForm("productAccessInput", {
    defaultValues: { productId, organizationSlug: "" },
  });
  const grant = trpc.apiCatalog.grantAccess.useMutation({
    onSuccess: async () => {
      grantForm.reset({ productId, organizationSlug: "" });
      await refresh();
    },
    onError: (error) => reportError(error, { form: grantForm }),
  });
  const revoke = trpc.apiCatalog.revokeAccess.useMutation({ onSuccess: refresh, onError });
  const [sunset, setSunset] = useState("");
  const data = product.data;

  return (
    <div className="grid gap-6">
      <PageHeader
        title={data.name}
        description={
          <>
            <span className="font-mono">/api/v1/{data.slug}/…</span> →{" "}
            <span className="font-mono">{data.upstreamBaseUrl}</span>
            {data.upstreamAuthHint
              ? ` · secret ${data.upstreamAuthHint} in ${data.upstreamAuthHeader}`
              : " · no upstream secret"}
          </>
        }
        actions={
          <Link className="text-sm underline underline-offset-4" href="/admin/apis">
            All products
          </Link>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Status{" "}
            <Badge variant={data.status === "ACTIVE" ? "success" : "warning"}>
              {data.status.toLowerCase()}
            </Badge>
          </CardTitle>
          <CardDescription>
            Deprecated APIs answer with Deprecation and Sunset headers and stop at the sunset date;
            archived ones are neither listed nor callable.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap items-end gap-3">
          <Button
            variant="outline"
            onClick={() => setStatus.mutate({ productId, status: "ACTIVE" })}
          >
            Activate
          </Button>
          <label className="grid gap-1 text-sm">
            Sunset date
            <Input type="date" value={sunset} onChange={(event) => setSunset(event.target.value)} />
          </label>
          <Button
            variant="outline"
            disabled={!sunset}
            onClick={() =>
              setStatus.mutate({
                productId,
                status: "DEPRECATED",
                sunsetAt: new Date(`${sunset}T00:00:00Z`),
              })
            }
          >
            Deprecate
          </Button>
          <Button
            variant="outline"
            onClick={() => setStatus.mutate({ productId, status: "ARCHIVED" })}
          >
            Archive
          </Button>
          <Button variant="destructive" onClick={() => deleteProduct.mutate({ productId })}>
            Delete product
          </Button>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Endpoints</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-6">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Endpoint</TableHead>
                <TableHead>Upstream</TableHead>
                <TableHead>Price</TableHead>
                <TableHead>Units</TableHead>
                <TableHead>Limit/min</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.endpoints.length === 0 ? (
                <TableEmpty colSpan={7}>No endpoints yet.</TableEmpty>
              ) : (
                data.endpoints.map((endpoint) => (
                  <TableRow key={endpoint.id}>
                    <TableCell className="font-mono text-xs">
                      {endpoint.method} /api/v1/{data.slug}
                      {endpoint.path}
                    </TableCell>
                    <TableCell className="font-mono text-xs">{endpoint.upstreamPath}</TableCell>
                    <TableCell>{formatPrice(endpoint)}</TableCell>
                    <TableCell>
                      {endpoint.unitsRule === "HEADER" ? endpoint.unitsHeader : "1 / call"}
                    </TableCell>
                    <TableCell>{endpoint.rateLimitPerMinute ?? "plan"}</TableCell>
                    <TableCell>{endpoint.status.toLowerCase()}</TableCell>
                    <TableCell className="space-x-2 text-right">
                      <Button
                        size="sm"
                        variant="outline"
                        onClick={() =>
                          updateEndpoint.mutate({
                            endpointId: endpoint.id,
                            status: endpoint.status === "ARCHIVED" ? "ACTIVE" : "ARCHIVED",
                          })
                        }
                      >
                        {endpoint.status === "ARCHIVED" ? "Restore" : "Archive"}
                      </Button>
                      <Button
                        size="sm"
                        variant="destructive"
                        onClick={() => deleteEndpoint.mutate({ endpointId: endpoint.id })}
                      >
                        Delete
                      </Button>
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
          <Form {...endpointForm}>
            <form
              className="grid gap-4 sm:grid-cols-3"
              aria-label="Add an endpoint"
              onSubmit={(event) =>
                void endpointForm.handleSubmit((values) => createEndpoint.mutate(values))(event)
              }
            >
              <label className="grid gap-1 text-sm">
                Method
                <select className={SELECT} {...endpointForm.register("method")}>
                  {["GET", "POST", "PUT", "PATCH", "DELETE"].map((method) => (
                    <option key={method}>{method}</option>
                  ))}
                </select>
              </label>
              <InputField
                control={endpointForm.control}
                name="path"
                label="Public path"
                placeholder="/lookup/{id}"
              />
              <InputField
                control={endpointForm.control}
                name="upstreamPath"
                label="Upstream path"
                placeholder="/v2/lookup/{id}"
              />
              <InputField control={endpointForm.control} name="summary" label="Summary" />
              <label className="grid gap-1 text-sm">
                Price per call (micro-cents; 1 ¢ = 1 000 000)
                <Input
                  type="number"
                  min={0}
                  {...endpointForm.register("pricePerCallMicroCents", { valueAsNumber: true })}
                />
              </label>
              <label className="grid gap-1 text-sm">
                Price per unit (micro-cents)
                <Input
                  type="number"
                  min={0}
                  {...endpointForm.register("pricePerUnitMicroCents", { valueAsNumber: true })}
                />
              </label>
              <label className="grid gap-1 text-sm">
                Units
                <select className={SELECT} {...endpointForm.register("unitsRule")}>
                  <option value="PER_CALL">1 per call</option>
                  <option value="HEADER">From an upstream header</option>
                </select>
              </label>
              <label className="grid gap-1 text-sm">
                Units header
                <Input
                  placeholder="x-usage-units"
                  {...endpointForm.register("unitsHeader", {
                    setValueAs: (v: string) => v || null,
                  })}
                />
              </label>
              <label className="grid gap-1 text-sm">
                Rate limit per minute per key (empty: the plan&apos;s)
                <Input
                  type="number"
                  min={1}
                  {...endpointForm.register("rateLimitPerMinute", {
                    setValueAs: (v: string) => (v === "" ? null : Number(v)),
                  })}
                />
              </label>
              <div>
                <Button type="submit" disabled={createEndpoint.isPending}>
                  Add endpoint
                </Button>
              </div>
            </form>
          </Form>
        </CardContent>
      </Card>
      {data.visibility === "PRIVATE" ? (
        <Card>
          <CardHeader>
            <CardTitle>Allowed organizations</CardTitle>
            <CardDescription>
              Only these organizations see and may call this private API.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <ul className="grid gap-2">
              {data.allowedOrganizations.map((organization) => (
                <li key={organization.id} className="flex items-center justify-between gap-2">
                  <span>
                    {organization.name}{" "}
                    <span className="font-mono text-xs text-muted-foreground">
                      {organization.slug}
                    </span>
                  </span>
                  <Button
                    size="sm"
                    variant="outline"
                    onClick={() =>
                      revoke.mutate({ productId, organizationSlug: organization.slug })
                    }
                  >
                    Revoke
                  </Button>
                </li>
              ))}
            </ul>
            <Form {...grantForm}>
              <form
                className="flex items-end gap-3"
                aria-label="Allow an organization"
                onSubmit={(event) =>
                  void grantForm.handleSubmit((values) => grant.mutate(values))(event)
                }
              >
                <InputField
                  control={grantForm.control}
                  name="organizationSlug"
                  label="Organization slug"
                />
                <Button type="submit">Allow</Button>
              </form>
            </Form>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
