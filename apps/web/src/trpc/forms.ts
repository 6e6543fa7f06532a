"use client";
// Forms validate with the procedures' own input schemas (@plinth/product/contracts). Those schemas
// (and zod with them) are fetched when the page is idle, not with its first load: nothing
// validates before the first submit, by which time they are there.
import { useForm, type FieldValues, type Resolver, type UseFormProps } from "react-hook-form";
import type * as contracts from "@plinth/product/contracts";
import type * as z from "zod/mini";
import { usePreloadWhenIdle } from "~/components/preload.ts";

type Contracts = typeof contracts;
/** The contracts that are object schemas (a form's values). */
export type ContractName = {
  [K in keyof Contracts]: Contracts[K] extends z.ZodMiniObject | z.ZodMiniPipe ? K : never;
}[keyof Contracts];
type Input<K extends ContractName> =
  z.input<Contracts[K]> extends infer T extends FieldValues ? T : never;
type Output<K extends ContractName> = z.output<Contracts[K]>;

const loadContracts = () => import("@plinth/product/contracts");
const loadResolver = () => import("@hookform/resolvers/zod");

function contractResolver<K extends ContractName>(name: K): Resolver<Input<K>, unknown, Output<K>> {
  return async (values, context, options) => {
    const [contracts, { zodResolver }] = await Promise.all([loadContracts(), loadResolver()]);
    // zodResolver's overloads need a concrete schema type; this one is Contracts[K].
    const resolve = zodResolver(contracts[name] as never) as unknown as Resolver<
      Input<K>,
      unknown,
      Output<K>
    >;
    return resolve(values, context, options);
  };
}

/** useForm validating with the named contract, e.g. useContractForm("createProjectInput", …). */
export function useContractForm<K extends ContractName>(
  name: K,
  options: Omit<UseFormProps<Input<K>, unknown, Output<K>>, "resolver"> = {},
) {
  usePreloadWhenIdle(loadContracts, loadResolver);
  return useForm<Input<K>, unknown, Output<K>>({ ...options, resolver: contractResolver(name) });
}
