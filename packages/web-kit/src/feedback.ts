"use client";
// What a failed mutation shows, the same way everywhere: a plan refusal opens the upgrade
// prompt, field errors go under their fields (the server's fieldErrors, keyed like the shared
// zod schema), anything else is an error toast.
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { setServerErrors } from "@plinth/ui/form";
import { toast } from "@plinth/ui/toaster";
import {
  appErrorOf,
  fieldErrorsOf,
  upgradeRefusalOf,
  type ErrorLike,
  type UpgradeRefusal,
} from "./errors.ts";

export function reportError<T extends FieldValues, Parsed = T>(
  error: ErrorLike,
  options: {
    form?: UseFormReturn<T, unknown, Parsed>;
    onRefusal?: (refusal: UpgradeRefusal) => void;
  } = {},
): void {
  const refusal = upgradeRefusalOf(error);
  if (refusal && options.onRefusal) {
    options.onRefusal(refusal);
    return;
  }
  if (options.form) {
    const fieldErrors = { ...fieldErrorsOf(error) };
    const appError = appErrorOf(error);
    if (appError?.code === "CONFLICT") fieldErrors[appError.field] = [error.message];
    if (appError?.code === "INVALID_INPUT") fieldErrors[appError.field] = [appError.reason];
    if (setServerErrors(options.form, fieldErrors)) return;
  }
  toast.error(error.message);
}
