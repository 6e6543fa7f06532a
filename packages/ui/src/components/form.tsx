"use client";
// react-hook-form wired to the design system (the shadcn pattern): <Form {...form}> provides the
// form, <FormField> one controlled field, and FormLabel / FormControl / FormDescription /
// FormMessage read that field's state, so ids, aria-invalid, aria-describedby and the error text
// (from the zod resolver or from the server, see setServerErrors) stay consistent everywhere.
import { Slot } from "@radix-ui/react-slot";
import { createContext, useContext, useId, type ComponentProps, type ReactNode } from "react";
import {
  Controller,
  FormProvider,
  useFormContext,
  useFormState,
  type Control,
  type ControllerProps,
  type FieldPath,
  type FieldValues,
  type UseFormReturn,
} from "react-hook-form";
import { cn } from "../lib/utils.ts";
import { Input } from "./input.tsx";
import { Label } from "./label.tsx";

export const Form = FormProvider;

const FormFieldContext = createContext<{ name: string } | null>(null);
const FormItemContext = createContext<{ id: string } | null>(null);

export function FormField<
  TFieldValues extends FieldValues = FieldValues,
  TName extends FieldPath<TFieldValues> = FieldPath<TFieldValues>,
  TTransformedValues = TFieldValues,
>(props: ControllerProps<TFieldValues, TName, TTransformedValues>) {
  return (
    <FormFieldContext.Provider value={{ name: props.name }}>
      <Controller {...props} />
    </FormFieldContext.Provider>
  );
}

export function useFormField() {
  const field = useContext(FormFieldContext);
  const item = useContext(FormItemContext);
  const { getFieldState } = useFormContext();
  const formState = useFormState({ name: field?.name });
  if (!field || !item) throw new Error("useFormField belongs inside <FormField><FormItem>");
  const state = getFieldState(field.name, formState);
  return {
    name: field.name,
    formItemId: `${item.id}-control`,
    descriptionId: `${item.id}-description`,
    messageId: `${item.id}-message`,
    ...state,
  };
}

export function FormItem({ className, ...props }: ComponentProps<"div">) {
  const id = useId();
  return (
    <FormItemContext.Provider value={{ id }}>
      <div data-slot="form-item" className={cn("grid gap-2", className)} {...props} />
    </FormItemContext.Provider>
  );
}

export function FormLabel({ className, ...props }: ComponentProps<typeof Label>) {
  const { error, formItemId } = useFormField();
  return (
    <Label
      data-slot="form-label"
      data-error={!!error}
      className={cn("data-[error=true]:text-destructive", className)}
      htmlFor={formItemId}
      {...props}
    />
  );
}

export function FormControl(props: ComponentProps<typeof Slot>) {
  const { error, formItemId, descriptionId, messageId } = useFormField();
  return (
    <Slot
      data-slot="form-control"
      id={formItemId}
      aria-describedby={error ? `${descriptionId} ${messageId}` : descriptionId}
      aria-invalid={!!error || undefined}
      {...props}
    />
  );
}

export function FormDescription({ className, ...props }: ComponentProps<"p">) {
  const { descriptionId } = useFormField();
  return (
    <p
      data-slot="form-description"
      id={descriptionId}
      className={cn("text-sm text-muted-foreground", className)}
      {...props}
    />
  );
}

export function FormMessage({ className, children, ...props }: ComponentProps<"p">) {
  const { error, messageId } = useFormField();
  const body = error ? String(error.message ?? "") : children;
  if (!body) return null;
  return (
    <p
      data-slot="form-message"
      id={messageId}
      role="alert"
      className={cn("text-sm font-medium text-destructive", className)}
      {...props}
    >
      {body}
    </p>
  );
}

/**
 * Puts the server's field errors (the API's `error.data.fieldErrors`, keyed like the zod
 * schema both sides share) on the form's fields. Returns whether any field took one, so the
 * caller shows a toast only for errors that belong to no field.
 */
export function setServerErrors<T extends FieldValues, Parsed = T>(
  form: UseFormReturn<T, unknown, Parsed>,
  fieldErrors: Record<string, readonly string[] | undefined> | null | undefined,
): boolean {
  let placed = false;
  const fields = new Set(Object.keys(form.getValues()));
  for (const [name, messages] of Object.entries(fieldErrors ?? {})) {
    if (!messages?.length || !fields.has(name)) continue;
    form.setError(name as FieldPath<T>, { type: "server", message: messages.join(" ") });
    placed = true;
  }
  return placed;
}

/** The common case in one element: a labelled text input bound to one field of the form. */
export function InputField<T extends FieldValues, Parsed>({
  control,
  name,
  label,
  description,
  className,
  ...inputProps
}: {
  control: Control<T, unknown, Parsed>;
  name: FieldPath<T>;
  label: ReactNode;
  description?: ReactNode;
  className?: string;
} & Omit<ComponentProps<"input">, "name" | "value" | "defaultValue" | "onChange" | "onBlur">) {
  return (
    <FormField
      control={control}
      name={name}
      render={({ field }) => (
        <FormItem className={className}>
          <FormLabel>{label}</FormLabel>
          <FormControl>
            <Input {...inputProps} {...field} value={field.value ?? ""} />
          </FormControl>
          {description ? <FormDescription>{description}</FormDescription> : null}
          <FormMessage />
        </FormItem>
      )}
    />
  );
}
