"use client";
// Where you are: the section (organization or operator console), then the page, from the URL.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment } from "react";
import {
  Breadcrumb,
  BreadcrumbItem,
  BreadcrumbLink,
  BreadcrumbList,
  BreadcrumbPage,
  BreadcrumbSeparator,
} from "@plinth/ui/breadcrumb";

export function Breadcrumbs({
  root,
  base,
  pages,
}: {
  /** The section: its name and landing page. */
  root: { label: string; href: string };
  /** The path the page segments follow ("/o/acme", "/admin"). */
  base: string;
  /** Page segment → its name ("projects" → "Projects"). */
  pages: Record<string, string>;
}) {
  const pathname = usePathname() ?? base;
  const segment = pathname.slice(base.length).split("/").filter(Boolean)[0];
  const page = segment ? (pages[segment] ?? null) : null;
  const crumbs = [root, ...(page ? [{ label: page, href: `${base}/${segment}` }] : [])];
  return (
    <Breadcrumb className="min-w-0">
      <BreadcrumbList className="flex-nowrap">
        {crumbs.map((crumb, index) => (
          <Fragment key={crumb.href}>
            {index > 0 ? <BreadcrumbSeparator className="hidden sm:inline-flex" /> : null}
            <BreadcrumbItem
              className={index === 0 && crumbs.length > 1 ? "hidden sm:inline-flex" : undefined}
            >
              {index === crumbs.length - 1 ? (
                <BreadcrumbPage>{crumb.label}</BreadcrumbPage>
              ) : (
                <BreadcrumbLink asChild>
                  <Link href={crumb.href}>{crumb.label}</Link>
                </BreadcrumbLink>
              )}
            </BreadcrumbItem>
          </Fragment>
        ))}
      </BreadcrumbList>
    </Breadcrumb>
  );
}
