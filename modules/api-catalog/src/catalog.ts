// The operator's catalog (platform admins only: platformAdminProcedure): API products and
// their endpoints. Platform-level tables, so every read and write goes through the system
// client (`scope.asSystem`), and every change is recorded on the platform audit log
// (organizationId null) in the same transaction. The gateway hears each change through the
// tables' NOTIFY trigger (migration *_api_catalog) and reloads within a second.
import type * as z from "zod/mini";
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { Prisma, type AuditChanges, type PrismaClient, type TransactionClient } from "@plinth/db";
import type { UserScope } from "@plinth/platform";
import type {
  createEndpointInput,
  createProductInput,
  endpointInput,
  productAccessInput,
  productInput,
  setProductStatusInput,
  updateEndpointInput,
  updateProductInput,
} from "./contract.ts";
import { isVaultError } from "@plinth/vault";
import { NO_SECRET, sealSecret as sealWithVault } from "./secret.ts";

/** Seals with the vault's key; a vault without a key is a typed refusal, not a 500. */
function sealSecret(productId: string, plaintext: string) {
  try {
    return sealWithVault(productId, plaintext);
  } catch (error) {
    if (isVaultError(error)) {
      throw new AppError({
        code: "INVALID_STATE",
        detail: "The vault cannot store the upstream secret (is ENCRYPTION_KEYS set?)",
      });
    }
    throw error;
  }
}

type Input<T extends z.ZodMiniType> = z.output<T>;

const catalogDb = (scope: UserScope): PrismaClient =>
  scope.asSystem("api catalog: operator-owned platform tables");

export const ENDPOINT_SELECT = {
  id: true,
  method: true,
  path: true,
  upstreamPath: true,
  summary: true,
  description: true,
  rateLimitPerMinute: true,
  pricePerCallMicroCents: true,
  pricePerUnitMicroCents: true,
  unitsRule: true,
  unitsHeader: true,
  status: true,
  createdAt: true,
  updatedAt: true,
} as const;

const PRODUCT_SELECT = {
  id: true,
  slug: true,
  name: true,
  description: true,
  upstreamBaseUrl: true,
  upstreamAuthHeader: true,
  secretHint: true,
  visibility: true,
  status: true,
  sunsetAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

type ProductRow = Prisma.ApiProductGetPayload<{ select: typeof PRODUCT_SELECT }>;
type EndpointRow = Prisma.ApiEndpointGetPayload<{ select: typeof ENDPOINT_SELECT }>;

export interface EndpointView extends Omit<
  EndpointRow,
  "pricePerCallMicroCents" | "pricePerUnitMicroCents"
> {
  pricePerCallMicroCents: number;
  pricePerUnitMicroCents: number;
}

export interface ProductView extends Omit<ProductRow, "secretHint"> {
  /** "••••abcd" (or "••••" for a short one), null without one: never the upstream secret. */
  upstreamAuthHint: string | null;
}

export const endpointView = (row: EndpointRow): EndpointView => ({
  ...row,
  pricePerCallMicroCents: Number(row.pricePerCallMicroCents),
  pricePerUnitMicroCents: Number(row.pricePerUnitMicroCents),
});

const productView = ({ secretHint, ...row }: ProductRow): ProductView => ({
  ...row,
  upstreamAuthHint: secretHint === null ? null : `••••${secretHint}`,
});

function conflictOn(field: string) {
  return (error: unknown): never => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError({ code: "CONFLICT", field });
    }
    throw error;
  };
}

async function audit(
  tx: TransactionClient,
  scope: UserScope,
  action: string,
  targetType: "ApiProduct" | "ApiEndpoint",
  targetId: string,
  changes?: Record<string, unknown>,
) {
  await recordAudit(tx, scope, {
    organizationId: null,
    action,
    targetType,
    targetId,
    ...(changes ? { changes: toChanges(changes) } : {}),
  });
}

/** { field: value } → the audit log's { field: { to } } (a { from, to } pair stays as it is). */
function toChanges(fields: Record<string, unknown>): AuditChanges {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [
        field,
        typeof value === "object" && value !== null && "to" in value ? value : { to: value },
      ]),
  );
}

/** What an audit entry may say about a change: never the secret. */
function auditable(input: Record<string, unknown>): Record<string, unknown> {
  const { upstreamSecret, ...rest } = input;
  return upstreamSecret === undefined
    ? rest
    : { ...rest, upstreamSecret: upstreamSecret === null ? "removed" : "replaced" };
}

export interface CatalogProduct extends ProductView {
  endpoints: EndpointView[];
  /** Slugs of the organizations a private product is visible to. */
  allowedOrganizations: { id: string; slug: string; name: string }[];
}

export async function listCatalog(scope: UserScope): Promise<CatalogProduct[]> {
  const rows = await catalogDb(scope).apiProduct.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      ...PRODUCT_SELECT,
      endpoints: { orderBy: [{ path: "asc" }, { method: "asc" }], select: ENDPOINT_SELECT },
      access: {
        orderBy: { createdAt: "asc" },
        select: { organization: { select: { id: true, slug: true, name: true } } },
      },
    },
  });
  return rows.map(({ endpoints, access, ...product }) => ({
    ...productView(product),
    endpoints: endpoints.map(endpointView),
    allowedOrganizations: access.map((grant) => grant.organization),
  }));
}

export async function getProduct(
  scope: UserScope,
  input: Input<typeof productInput>,
): Promise<CatalogProduct> {
  const product = (await listCatalog(scope)).find((row) => row.id === input.productId);
  if (!product) throw notFound("API product");
  return product;
}

export async function createProduct(
  scope: UserScope,
  input: Input<typeof createProductInput>,
): Promise<ProductView> {
  const { upstreamSecret, ...fields } = input;
  return catalogDb(scope)
    .$transaction(async (tx) => {
      const row = await tx.apiProduct.create({ data: fields, select: { id: true } });
      const product = await tx.apiProduct.update({
        where: { id: row.id },
        data: upstreamSecret ? sealSecret(row.id, upstreamSecret) : {},
        select: PRODUCT_SELECT,
      });
      await audit(tx, scope, "api_product.create", "ApiProduct", row.id, auditable(input));
      return productView(product);
    })
    .catch(conflictOn("slug"));
}

export async function updateProduct(
  scope: UserScope,
  input: Input<typeof updateProductInput>,
): Promise<ProductView> {
  const { productId, upstreamSecret, ...fields } = input;
  return catalogDb(scope).$transaction(async (tx) => {
    const exists = await tx.apiProduct.findUnique({
      where: { id: productId },
      select: { id: true },
    });
    if (!exists) throw notFound("API product");
    const secret =
      upstreamSecret === undefined
        ? {}
        : upstreamSecret === null
          ? NO_SECRET
          : sealSecret(productId, upstreamSecret);
    const product = await tx.apiProduct.update({
      where: { id: productId },
      data: { ...fields, ...secret },
      select: PRODUCT_SELECT,
    });
    await audit(tx, scope, "api_product.update", "ApiProduct", productId, auditable(input));
    return productView(product);
  });
}

export async function setProductStatus(
  scope: UserScope,
  input: Input<typeof setProductStatusInput>,
): Promise<ProductView> {
  const sunsetAt = input.status === "DEPRECATED" ? (input.sunsetAt ?? null) : null;
  if (input.status === "DEPRECATED" && !sunsetAt) {
    throw new AppError({ code: "INVALID_STATE", detail: "A deprecated API needs a sunset date" });
  }
  return catalogDb(scope).$transaction(async (tx) => {
    const exists = await tx.apiProduct.findUnique({
      where: { id: input.productId },
      select: { status: true, sunsetAt: true },
    });
    if (!exists) throw notFound("API product");
    const product = await tx.apiProduct.update({
      where: { id: input.productId },
      data: { status: input.status, sunsetAt },
      select: PRODUCT_SELECT,
    });
    await audit(tx, scope, "api_product.status", "ApiProduct", input.productId, {
      status: { from: exists.status, to: input.status },
      sunsetAt: { from: exists.sunsetAt, to: sunsetAt },
    });
    return productView(product);
  });
}

export async function deleteProduct(
  scope: UserScope,
  input: Input<typeof productInput>,
): Promise<{ id: string }> {
  return catalogDb(scope).$transaction(async (tx) => {
    const row = await tx.apiProduct.findUnique({
      where: { id: input.productId },
      select: { id: true, slug: true, name: true },
    });
    if (!row) throw notFound("API product");
    await tx.apiProduct.delete({ where: { id: row.id } });
    await audit(tx, scope, "api_product.delete", "ApiProduct", row.id, {
      slug: row.slug,
      name: row.name,
    });
    return { id: row.id };
  });
}

async function grantTarget(tx: TransactionClient, input: Input<typeof productAccessInput>) {
  const [product, organization] = await Promise.all([
    tx.apiProduct.findUnique({ where: { id: input.productId }, select: { id: true } }),
    tx.organization.findUnique({
      where: { slug: input.organizationSlug },
      select: { id: true, slug: true },
    }),
  ]);
  if (!product) throw notFound("API product");
  if (!organization) throw notFound("Organization");
  return { productId: product.id, organization };
}

export async function grantAccess(
  scope: UserScope,
  input: Input<typeof productAccessInput>,
): Promise<{ productId: string; organizationId: string }> {
  return catalogDb(scope).$transaction(async (tx) => {
    const { productId, organization } = await grantTarget(tx, input);
    await tx.apiProductAccess.upsert({
      where: { productId_organizationId: { productId, organizationId: organization.id } },
      create: { productId, organizationId: organization.id },
      update: {},
      select: { productId: true },
    });
    await audit(tx, scope, "api_product.grant", "ApiProduct", productId, {
      organization: organization.slug,
    });
    return { productId, organizationId: organization.id };
  });
}

export async function revokeAccess(
  scope: UserScope,
  input: Input<typeof productAccessInput>,
): Promise<{ productId: string; organizationId: string }> {
  return catalogDb(scope).$transaction(async (tx) => {
    const { productId, organization } = await grantTarget(tx, input);
    await tx.apiProductAccess.deleteMany({
      where: { productId, organizationId: organization.id },
    });
    await audit(tx, scope, "api_product.revoke", "ApiProduct", productId, {
      organization: organization.slug,
    });
    return { productId, organizationId: organization.id };
  });
}

function checkUnits(rule: "PER_CALL" | "HEADER" | undefined, header: string | null | undefined) {
  if (rule === "HEADER" && !header) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Units from a header need the header's name (e.g. x-usage-units)",
    });
  }
}

/** Same parameter names in the public and the upstream path. */
function checkParams(path: string, upstreamPath: string) {
  const names = (value: string) => [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const ours = names(path);
  if (new Set(ours).size !== ours.length) {
    throw new AppError({ code: "INVALID_STATE", detail: "A path parameter appears twice" });
  }
  if (JSON.stringify(ours) !== JSON.stringify(names(upstreamPath))) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "The upstream path must use the same parameters as the public path",
    });
  }
}

export async function createEndpoint(
  scope: UserScope,
  input: Input<typeof createEndpointInput>,
): Promise<EndpointView> {
  checkUnits(input.unitsRule, input.unitsHeader);
  checkParams(input.path, input.upstreamPath);
  const { productId, pricePerCallMicroCents, pricePerUnitMicroCents, ...fields } = input;
  return catalogDb(scope)
    .$transaction(async (tx) => {
      const product = await tx.apiProduct.findUnique({
        where: { id: productId },
        select: { id: true },
      });
      if (!product) throw notFound("API product");
      const row = await tx.apiEndpoint.create({
        data: {
          productId,
          ...fields,
          unitsHeader: fields.unitsRule === "HEADER" ? fields.unitsHeader : null,
          pricePerCallMicroCents: BigInt(pricePerCallMicroCents),
          pricePerUnitMicroCents: BigInt(pricePerUnitMicroCents),
        },
        select: ENDPOINT_SELECT,
      });
      await audit(tx, scope, "api_endpoint.create", "ApiEndpoint", row.id, input);
      return endpointView(row);
    })
    .catch(conflictOn("path"));
}

export async function updateEndpoint(
  scope: UserScope,
  input: Input<typeof updateEndpointInput>,
): Promise<EndpointView> {
  const { endpointId, pricePerCallMicroCents, pricePerUnitMicroCents, ...fields } = input;
  return catalogDb(scope).$transaction(async (tx) => {
    const current = await tx.apiEndpoint.findUnique({
      where: { id: endpointId },
      select: { path: true, upstreamPath: true, unitsRule: true, unitsHeader: true },
    });
    if (!current) throw notFound("API endpoint");
    const unitsRule = fields.unitsRule ?? current.unitsRule;
    const unitsHeader = fields.unitsHeader === undefined ? current.unitsHeader : fields.unitsHeader;
    checkUnits(unitsRule, unitsHeader);
    checkParams(current.path, fields.upstreamPath ?? current.upstreamPath);
    const row = await tx.apiEndpoint.update({
      where: { id: endpointId },
      data: {
        ...fields,
        unitsHeader: unitsRule === "HEADER" ? unitsHeader : null,
        ...(pricePerCallMicroCents === undefined
          ? {}
          : { pricePerCallMicroCents: BigInt(pricePerCallMicroCents) }),
        ...(pricePerUnitMicroCents === undefined
          ? {}
          : { pricePerUnitMicroCents: BigInt(pricePerUnitMicroCents) }),
      },
      select: ENDPOINT_SELECT,
    });
    await audit(tx, scope, "api_endpoint.update", "ApiEndpoint", endpointId, input);
    return endpointView(row);
  });
}

export async function deleteEndpoint(
  scope: UserScope,
  input: Input<typeof endpointInput>,
): Promise<{ id: string }> {
  return catalogDb(scope).$transaction(async (tx) => {
    const row = await tx.apiEndpoint.findUnique({
      where: { id: input.endpointId },
      select: { id: true, method: true, path: true, productId: true },
    });
    if (!row) throw notFound("API endpoint");
    await tx.apiEndpoint.delete({ where: { id: row.id } });
    await audit(tx, scope, "api_endpoint.delete", "ApiEndpoint", row.id, {
      productId: row.productId,
      method: row.method,
      path: row.path,
    });
    return { id: row.id };
  });
}
