"use client";
import { useRouter } from "next/navigation";

export function OrganizationSwitcher({
  current,
  organizations,
}: {
  current: string;
  organizations: { slug: string; name: string }[];
}) {
  const router = useRouter();
  return (
    <label className="org-switcher">
      <span className="visually-hidden">Organization</span>
      <select
        value={current}
        aria-label="Switch organization"
        onChange={(event) => {
          const slug = event.target.value;
          if (slug === "__new") router.push("/new");
          else router.push(`/o/${slug}`);
        }}
      >
        {organizations.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name}
          </option>
        ))}
        <option value="__new">+ New organization…</option>
      </select>
    </label>
  );
}
