// Shared React components. Plain markup + class names styled by the app's global stylesheet
// (`.ui-*` classes), so they work in server and client components alike.
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from "react";

function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "primary" | "secondary" | "danger" | "link";
  size?: "sm" | "md";
  loading?: boolean;
}

export function Button({
  variant = "primary",
  size = "md",
  loading = false,
  className,
  disabled,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={cx(
        "ui-button",
        `ui-button--${variant}`,
        size === "sm" && "ui-button--sm",
        className,
      )}
    >
      {children}
    </button>
  );
}

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  /** Field errors (e.g. zod's fieldErrors[name]); shown under the input. */
  errors?: readonly string[] | null | undefined;
  hint?: ReactNode;
}

export function Input({ label, name, errors, hint, id, className, ...rest }: InputProps) {
  const inputId = id ?? `field-${name}`;
  const errorId = `${inputId}-error`;
  const hasErrors = !!errors && errors.length > 0;
  return (
    <div className={cx("ui-field", hasErrors && "ui-field--invalid", className)}>
      <label htmlFor={inputId} className="ui-label">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        className="ui-input"
        aria-invalid={hasErrors || undefined}
        aria-describedby={hasErrors ? errorId : undefined}
        {...rest}
      />
      {hint && !hasErrors ? <p className="ui-hint">{hint}</p> : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

export function FieldErrors({
  id,
  errors,
}: {
  id?: string;
  errors?: readonly string[] | null | undefined;
}) {
  if (!errors || errors.length === 0) return null;
  return (
    <p id={id} className="ui-field-error" role="alert">
      {errors.join(" ")}
    </p>
  );
}

export interface BannerProps {
  tone?: "info" | "warning" | "danger" | "success";
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
}

export function Banner({ tone = "info", title, children, action }: BannerProps) {
  return (
    <div
      className={cx("ui-banner", `ui-banner--${tone}`)}
      role={tone === "danger" ? "alert" : "status"}
    >
      <div className="ui-banner__body">
        {title ? <strong className="ui-banner__title">{title}</strong> : null}
        {children ? <span className="ui-banner__text">{children}</span> : null}
      </div>
      {action ? <div className="ui-banner__action">{action}</div> : null}
    </div>
  );
}

export interface UpgradePromptProps {
  /** What was refused, in a sentence ("Your Trial plan allows 1 project."). */
  reason: ReactNode;
  /** The plan that lifts the limit, from the error's `upgrade` offer; null: contact sales. */
  planName: string | null;
  /** Where upgrading happens (billing page); omitted: no link. */
  upgradeHref?: string;
  onDismiss?: () => void;
}

export function UpgradePrompt({ reason, planName, upgradeHref, onDismiss }: UpgradePromptProps) {
  return (
    <section
      className="ui-upgrade"
      role="alert"
      aria-label="Upgrade required"
      data-testid="upgrade-prompt"
    >
      <div className="ui-upgrade__body">
        <h3 className="ui-upgrade__title">
          {planName ? `Upgrade to ${planName}` : "Your plan's limit is reached"}
        </h3>
        <p className="ui-upgrade__reason">{reason}</p>
        {planName ? (
          <p className="ui-upgrade__hint">The {planName} plan lifts this limit.</p>
        ) : null}
      </div>
      <div className="ui-upgrade__actions">
        {upgradeHref ? (
          <a className="ui-button ui-button--primary" href={upgradeHref}>
            {planName ? `Upgrade to ${planName}` : "See plans"}
          </a>
        ) : null}
        {onDismiss ? (
          <Button variant="secondary" onClick={onDismiss}>
            Not now
          </Button>
        ) : null}
      </div>
    </section>
  );
}
