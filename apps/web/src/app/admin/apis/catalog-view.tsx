"use client";
// The operator's catalog list and the form that adds an API product.
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Form, InputField } from "@plinth/ui/form";
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

type Product = RouterOutputs["apiCatalog"]["list"][number];

export function CatalogView({ initialProducts }: { initialProducts: Product[] }) {
  const router = useRouter();
  const products = trpc.apiCatalog.list.useQuery(undefined, { initialData: initialProducts });
  const form = useContractForm("createProductInput", {
    defaultValues: { slug: "", name: "", upstreamBaseUrl: "", visibility: "PUBLIC" },
  });
  const create = trpc.apiCatalog.createProduct.useMutation({
    onSuccess: (product) => {
      toast.success(`“${product.name}” added`);
      router.push(`/admin/apis/${product.id}`);
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <>
      <Card>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Product</TableHead>
                <TableHead>Path</TableHead>
                <TableHead>Upstream</TableHead>
                <TableHead>Visibility</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Endpoints</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {products.data.length === 0 ? (
                <TableEmpty colSpan={6}>No API products yet.</TableEmpty>
              ) : (
                products.data.map((product) => (
                  <TableRow key={product.id}>
                    <TableCell>
                      <Link
                        className="font-medium underline-offset-4 hover:underline"
                        href={`/admin/apis/${product.id}`}
                      >
                        {product.name}
                      </Link>
                    </TableCell>
                    <TableCell className="font-mono text-xs">/api/v1/{product.slug}</TableCell>
                    <TableCell className="font-mono text-xs">{product.upstreamBaseUrl}</TableCell>
                    <TableCell>
                      {product.visibility === "PRIVATE" ? (
                        <Badge variant="info">
                          Private · {product.allowedOrganizations.length}
                        </Badge>
                      ) : (
                        <Badge variant="outline">Public</Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      <Badge
                        variant={
                          product.status === "ACTIVE"
                            ? "success"
                            : product.status === "DEPRECATED"
                              ? "warning"
                              : "secondary"
                        }
                      >
                        {product.status.toLowerCase()}
                      </Badge>
                    </TableCell>
                    <TableCell className="text-right">{product.endpoints.length}</TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add an API product</CardTitle>
          <CardDescription>
            Its endpoints are served under /api/v1/&lt;path&gt;/…; the secret is stored encrypted in
            the vault and sent to the upstream instead of the buyer&apos;s key.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Form {...form}>
            <form
              className="grid gap-4 sm:grid-cols-2"
              aria-label="Add an API product"
              onSubmit={(event) => void form.handleSubmit((values) => create.mutate(values))(event)}
            >
              <InputField control={form.control} name="name" label="Name" />
              <InputField
                control={form.control}
                name="slug"
                label="Path"
                description="e.g. geo → /api/v1/geo/…"
              />
              <InputField
                control={form.control}
                name="upstreamBaseUrl"
                label="Upstream base URL"
                placeholder="https://api.example.com/v1"
              />
              <InputField
                control={form.control}
                name="upstreamSecret"
                label="Upstream secret (optional)"
                type="password"
                autoComplete="off"
              />
              <label className="grid gap-1 text-sm">
                Visibility
                <select
                  className="h-9 rounded-md border border-input bg-transparent px-3 text-sm"
                  {...form.register("visibility")}
                >
                  <option value="PUBLIC">Public: every organization</option>
                  <option value="PRIVATE">Private: chosen organizations</option>
                </select>
              </label>
              <div className="flex items-end">
                <Button type="submit" disabled={create.isPending}>
                  Add product
                </Button>
              </div>
            </form>
          </Form>
        </CardContent>
      </Card>
    </>
  );
}
