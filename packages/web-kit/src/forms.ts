"use client";
// Forms validate with the procedures' own input schemas (a contracts module: the product's
// @plinth/product/contracts, or a module's contract.ts). Those schemas (and zod with them) are
// fetched when the page is idle, not with its first load: nothing validates before the first
// submit, by which time they are there.
import { useForm, type FieldValues, type Resolver, type UseFormProps } from "react-hook-form";
import type * as z from "zod/mini";
import { usePreloadWhenIdle } from "./preload.ts";

/** The contracts of `C` that are object schemas (a form's values). */
export type ContractName<C> = {
  [K in keyof C]: C[K] extends z.ZodMiniObject | z.ZodMiniPipe ? K : never;
}[keyof C];
type Input<C, K extends keyof C> = C[K] extends z.ZodMiniType
  ? z.input<C[K]> extends infer T extends FieldValues
    ? T
    : never
  : never;
type Output<C, K extends keyof C> = C[K] extends z.ZodMiniType ? z.output<C[K]> : never;

const loadResolver = () => import("@hookform/resolvers/zod");

/**
 * `useContractForm` over the contracts `loadContracts` imports (a dynamic `import()`, so they
 * are split off), e.g. `useContractForm("createProjectInput", { defaultValues })`.
 */
export function contractForms<C extends object>(loadContracts: () => Promise<C>) {
  function contractResolver<K extends ContractName<C>>(
    name: K,
  ): Resolver<Input<C, K>, unknown, Output<C, K>> {
    return async (values, context, options) => {
      const [contracts, { zodResolver }] = await Promise.all([loadContracts(), loadResolver()]);
      // zodResolver's overloads need a concrete schema type; this one is C[K].
      const resolve = zodResolver(contracts[name] as never) as unknown as Resolver<
        Input<C, K>,
        unknown,
        Output<C, K>
      >;
      return resolve(values, context, options);
    };
  }

  return function useContractForm<K extends ContractName<C>>(
    name: K,
    options: Omit<UseFormProps<Input<C, K>, unknown, Output<C, K>>, "resolver"> = {},
  ) {
    usePreloadWhenIdle(loadContracts, loadResolver);
    return useForm<Input<C, K>, unknown, Output<C, K>>({
      ...options,
      resolver: contractResolver(name),
    });
  };
}
