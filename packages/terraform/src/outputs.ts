// The CLI's machine-readable answers, parsed with zod: `output -json` (name → value, type,
// sensitive) and `show -json` (the state's outputs and resources).
import { z } from "zod";

export const outputJsonSchema = z.record(
  z.string(),
  z.object({
    sensitive: z.boolean(),
    type: z.unknown(),
    value: z.unknown(),
  }),
);
export type TerraformOutputs = z.infer<typeof outputJsonSchema>;

interface StateModule {
  resources?: { address: string; mode: string; type: string; name: string }[] | undefined;
  child_modules?: StateModule[] | undefined;
}
const moduleSchema: z.ZodType<StateModule> = z.lazy(() =>
  z.object({
    resources: z
      .array(
        z.object({ address: z.string(), mode: z.string(), type: z.string(), name: z.string() }),
      )
      .optional(),
    child_modules: z.array(moduleSchema).optional(),
  }),
);

export const showJsonSchema = z.object({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  values: z
    .object({
      outputs: z
        .record(z.string(), z.object({ sensitive: z.boolean(), value: z.unknown() }))
        .optional(),
      root_module: moduleSchema.optional(),
    })
    .optional(),
});

export interface TerraformState {
  terraformVersion: string | undefined;
  /** Managed and data resource addresses, child modules included. */
  resources: string[];
  outputs: Record<string, { sensitive: boolean; value: unknown }>;
}

function addresses(module: StateModule | undefined): string[] {
  if (!module) return [];
  return [
    ...(module.resources ?? []).map((resource) => resource.address),
    ...(module.child_modules ?? []).flatMap(addresses),
  ];
}

export function toState(show: z.infer<typeof showJsonSchema>): TerraformState {
  return {
    terraformVersion: show.terraform_version,
    resources: addresses(show.values?.root_module),
    outputs: show.values?.outputs ?? {},
  };
}
