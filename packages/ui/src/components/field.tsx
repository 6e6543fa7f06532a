// A labelled form control with its hint and error text, wired for assistive technology: the
// control gets the id, aria-invalid and aria-describedby (hint + error). For forms without
// react-hook-form (server actions); react-hook-form forms use ./form.tsx, which renders the same.
import { Slot } from "@radix-ui/react-slot";
import type { ComponentProps, ReactElement, ReactNode } from "react";
import { cn } from "../lib/utils.ts";
import { Label } from "./label.tsx";

export interface FieldProps {
  /** The control's id (the label points at it). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Field errors (zod's fieldErrors[name], a server message …): shown under the control. */
  errors?: readonly string[] | string | null | undefined;
  /** Hide the label visually (it is still the control's accessible name). */
  hideLabel?: boolean;
  className?: string;
  /** One control element (Input, Textarea, SelectTrigger, …). */
  children: ReactElement;
}

export function Field({ id, label, hint, errors, hideLabel, className, children }: FieldProps) {
  const messages = typeof errors === "string" ? [errors] : (errors ?? []);
  const invalid = messages.length > 0;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = invalid ? `${id}-error` : undefined;
  return (
    <div data-slot="field" className={cn("grid gap-2", className)}>
      <Label htmlFor={id} className={cn(invalid && "text-destructive", hideLabel && "sr-only")}>
        {label}
      </Label>
      <Slot
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      >
        {children}
      </Slot>
      {hint ? <FieldHint id={hintId}>{hint}</FieldHint> : null}
      {invalid ? <FieldError id={errorId}>{messages.join(" ")}</FieldError> : null}
    </div>
  );
}

export function FieldHint({ className, ...props }: ComponentProps<"p">) {
  return <p className={cn("text-sm text-muted-foreground", className)} {...props} />;
}

export function FieldError({ className, ...props }: ComponentProps<"p">) {
  return (
    <p role="alert" className={cn("text-sm font-medium text-destructive", className)} {...props} />
  );
}
