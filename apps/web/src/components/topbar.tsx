// The top bar: the mobile menu, where you are, search, the plan, the theme and your account.
import type { ReactNode } from "react";
import { ThemeToggle } from "@plinth/ui/theme-toggle";
import { UserMenu } from "./user-menu.tsx";

export function Topbar({
  mobileNav,
  breadcrumbs,
  search,
  extra,
  user,
}: {
  mobileNav?: ReactNode;
  breadcrumbs: ReactNode;
  search?: ReactNode;
  /** E.g. the plan badge. */
  extra?: ReactNode;
  user: { name: string | null; email: string; platformRole: "USER" | "SUPER_ADMIN" };
}) {
  return (
    <>
      {mobileNav}
      <div className="min-w-0 flex-1">{breadcrumbs}</div>
      <div className="flex shrink-0 items-center gap-1.5">
        {search}
        {extra}
        <ThemeToggle />
        <UserMenu
          name={user.name}
          email={user.email}
          platformAdmin={user.platformRole === "SUPER_ADMIN"}
        />
      </div>
    </>
  );
}
