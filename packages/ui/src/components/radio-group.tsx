"use client";
// A group of radio choices shown as cards (plans on the sign-up page). Native inputs in a
// <fieldset> with a <legend>: the group's name, arrow-key movement between choices, one tab
// stop and the checked state all come from the browser and are what assistive technology
// expects. RadioGroupField binds one to a react-hook-form field (ids, aria-invalid, the error
// text) like InputField does for a text input.
import { useId, type ReactNode } from "react";
import type { Control, FieldPath, FieldValues } from "react-hook-form";
import { cn } from "../lib/utils.ts";
import { FormField, FormItem, useFormField } from "./form.tsx";

export interface RadioOption {
  value: string;
  label: ReactNode;
  description?: ReactNode;
  /** Shown on the card's right (a price, a badge). */
  aside?: ReactNode;
}

export interface RadioCardsProps {
  name: string;
  legend: ReactNode;
  options: readonly RadioOption[];
  value: string | undefined;
  onChange: (value: string) => void;
  onBlur?: () => void;
  description?: ReactNode;
  /** Ids of elements describing the group (its description, an error). */
  describedBy?: string | undefined;
  invalid?: boolean;
  disabled?: boolean;
  className?: string;
}

export function RadioCards({
  name,
  legend,
  options,
  value,
  onChange,
  onBlur,
  describedBy,
  invalid,
  disabled,
  className,
}: RadioCardsProps) {
  const id = useId();
  return (
    <fieldset
      data-slot="radio-group"
      className={cn("grid gap-2", className)}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      disabled={disabled}
    >
      <legend className="mb-2 text-sm leading-none font-medium">{legend}</legend>
      {options.map((option) => {
        const inputId = `${id}-${option.value}`;
        const descriptionId = option.description ? `${inputId}-description` : undefined;
        return (
          <label
            key={option.value}
            htmlFor={inputId}
            data-slot="radio-card"
            className="flex cursor-pointer items-start gap-3 rounded-md border border-input p-3 text-sm transition-colors hover:bg-accent/50 has-checked:border-primary has-checked:bg-primary/5 has-focus-visible:ring-[3px] has-focus-visible:ring-ring/50 has-disabled:cursor-not-allowed has-disabled:opacity-50"
          >
            <input
              id={inputId}
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              onBlur={onBlur}
              aria-describedby={descriptionId}
              className="mt-0.5 size-4 shrink-0 accent-primary outline-none"
            />
            <span className="grid flex-1 gap-1">
              <span className="font-medium">{option.label}</span>
              {option.description ? (
                <span id={descriptionId} className="text-muted-foreground">
                  {option.description}
                </span>
              ) : null}
            </span>
            {option.aside ? (
              <span className="shrink-0 font-medium text-foreground">{option.aside}</span>
            ) : null}
          </label>
        );
      })}
    </fieldset>
  );
}

function BoundRadioCards(
  props: Omit<RadioCardsProps, "describedBy" | "invalid"> & { description?: ReactNode },
) {
  const { error, descriptionId, messageId } = useFormField();
  const describedBy =
    [props.description ? descriptionId : null, error ? messageId : null]
      .filter(Boolean)
      .join(" ") || undefined;
  return (
    <>
      <RadioCards {...props} describedBy={describedBy} invalid={!!error} />
      {props.description ? (
        <p id={descriptionId} className="text-sm text-muted-foreground">
          {props.description}
        </p>
      ) : null}
      {error ? (
        <p id={messageId} role="alert" className="text-sm font-medium text-destructive">
          {String(error.message ?? "")}
        </p>
      ) : null}
    </>
  );
}

/** A radio-card group bound to one field of the form (react-hook-form). */
export function RadioGroupField<T extends FieldValues, Parsed>({
  control,
  name,
  legend,
  options,
  description,
  className,
}: {
  control: Control<T, unknown, Parsed>;
  name: FieldPath<T>;
  legend: ReactNode;
  options: readonly RadioOption[];
  description?: ReactNode;
  className?: string;
}) {
  return (
    <FormField
      control={control}
      name={name}
      render={({ field }) => (
        <FormItem className={className}>
          <BoundRadioCards
            name={field.name}
            legend={legend}
            options={options}
            value={typeof field.value === "string" ? field.value : undefined}
            onChange={field.onChange}
            onBlur={field.onBlur}
            description={description}
            disabled={field.disabled ?? false}
          />
        </FormItem>
      )}
    />
  );
}
