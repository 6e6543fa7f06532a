// The managed-hosting product's app catalogue (its product configuration): the apps a buyer can
// host, each with its versions, sizes and plans, and the bundles (several apps at one price).
// Client-safe (no server imports): the request form lists exactly what the service accepts.
// The managed-hosting preset (plinth.config.ts) sells these plans; docs/products/managed-hosting.md.

export interface HostingSize {
  key: string;
  label: string;
  /** What the local provider grants: connections to the workspace's database. */
  connectionLimit: number;
  cpu: number;
  memoryMb: number;
  storageGb: number;
}

export interface HostingApp {
  key: string;
  name: string;
  description: string;
  /** Newest first; the first is the default. */
  versions: readonly string[];
  sizes: readonly HostingSize[];
  /**
   * Monthly price per workspace of this app, per plan (cents), and the plan's subscription item
   * (the catalog key a workspace on this plan is billed as, one unit per workspace).
   */
  plans: Readonly<Record<string, HostingAppPlan>>;
  /** The database bootstrap the providers apply once the database exists. */
  bootstrapSql: readonly string[];
}

export interface HostingAppPlan {
  name: string;
  monthCents: number;
  sizes: readonly string[];
  /** Its subscription item's key (lower-case letters: a catalog key). */
  itemKey: string;
}

/**
 * Several apps at one price: one unit of its item covers one workspace of each of its apps
 * (so an organization with two Bahmni and one ERPNext workspace on the bundle pays two units).
 */
export interface HostingBundle {
  key: string;
  name: string;
  apps: readonly string[];
  monthCents: number;
  itemKey: string;
}

const SIZES: readonly HostingSize[] = [
  { key: "small", label: "Small", connectionLimit: 10, cpu: 1, memoryMb: 2048, storageGb: 20 },
  { key: "medium", label: "Medium", connectionLimit: 25, cpu: 2, memoryMb: 4096, storageGb: 50 },
  { key: "large", label: "Large", connectionLimit: 60, cpu: 4, memoryMb: 8192, storageGb: 200 },
];

const metaTable = [
  `CREATE TABLE IF NOT EXISTS plinth_workspace (key text PRIMARY KEY, value text NOT NULL)`,
];

export const HOSTING_APPS: readonly HostingApp[] = [
  {
    key: "bahmni",
    name: "Bahmni",
    description: "Open-source hospital system (EMR, lab, pharmacy).",
    versions: ["1.0.0", "0.93"],
    sizes: SIZES,
    plans: {
      standard: {
        name: "Bahmni Standard",
        monthCents: 29_900,
        sizes: ["small", "medium"],
        itemKey: "bahmnistandard",
      },
      clinic: {
        name: "Bahmni Clinic",
        monthCents: 59_900,
        sizes: ["small", "medium", "large"],
        itemKey: "bahmniclinic",
      },
    },
    bootstrapSql: [
      ...metaTable,
      `CREATE TABLE IF NOT EXISTS patient (id bigserial PRIMARY KEY, identifier text UNIQUE NOT NULL, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE IF NOT EXISTS encounter (id bigserial PRIMARY KEY, patient_id bigint NOT NULL REFERENCES patient(id), kind text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    ],
  },
  {
    key: "erpnext",
    name: "ERPNext",
    description: "Open-source ERP: accounting, inventory, HR.",
    versions: ["15.0", "14.0"],
    sizes: SIZES,
    plans: {
      standard: {
        name: "ERPNext Standard",
        monthCents: 19_900,
        sizes: ["small", "medium"],
        itemKey: "erpnextstandard",
      },
      business: {
        name: "ERPNext Business",
        monthCents: 49_900,
        sizes: ["small", "medium", "large"],
        itemKey: "erpnextbusiness",
      },
    },
    bootstrapSql: [
      ...metaTable,
      `CREATE TABLE IF NOT EXISTS company (id bigserial PRIMARY KEY, name text UNIQUE NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS gl_entry (id bigserial PRIMARY KEY, company_id bigint NOT NULL REFERENCES company(id), account text NOT NULL, debit numeric(18,2) NOT NULL DEFAULT 0, credit numeric(18,2) NOT NULL DEFAULT 0)`,
    ],
  },
  {
    key: "odoo",
    name: "Odoo",
    description: "Open-source business apps: CRM, sales, website.",
    versions: ["18.0", "17.0"],
    sizes: SIZES,
    plans: {
      standard: {
        name: "Odoo Standard",
        monthCents: 14_900,
        sizes: ["small", "medium", "large"],
        itemKey: "odoostandard",
      },
    },
    bootstrapSql: [
      ...metaTable,
      `CREATE TABLE IF NOT EXISTS res_partner (id bigserial PRIMARY KEY, name text NOT NULL, email text)`,
    ],
  },
];

export const HOSTING_BUNDLES: readonly HostingBundle[] = [
  {
    key: "health-erp",
    name: "Hospital + ERP",
    apps: ["bahmni", "erpnext"],
    monthCents: 39_900,
    itemKey: "healtherp",
  },
  {
    key: "business",
    name: "ERP + CRM",
    apps: ["erpnext", "odoo"],
    monthCents: 29_900,
    itemKey: "erpcrm",
  },
];

export const HOSTING_REGIONS = ["eu-central", "us-east", "ap-south"] as const;
export type HostingRegion = (typeof HOSTING_REGIONS)[number];

export function findApp(key: string): HostingApp | undefined {
  return HOSTING_APPS.find((app) => app.key === key);
}

export function findSize(app: HostingApp, key: string): HostingSize | undefined {
  return app.sizes.find((size) => size.key === key);
}

export function findBundle(key: string): HostingBundle | undefined {
  return HOSTING_BUNDLES.find((bundle) => bundle.key === key);
}

/** A workspace's subscription item: an app plan's, or a bundle's (one unit per app in it). */
export interface HostingItem {
  key: string;
  name: string;
  description: string;
  monthCents: number;
  kind: "app" | "bundle";
  /** The app (an app plan's item) or the apps (a bundle's). */
  apps: readonly string[];
}

/** Every item the catalogue sells: the apps' plans, then the bundles. Yearly: ten months. */
export const HOSTING_ITEMS: readonly HostingItem[] = [
  ...HOSTING_APPS.flatMap((app) =>
    Object.values(app.plans).map((plan) => ({
      key: plan.itemKey,
      name: `${plan.name} workspace`,
      description: `One ${app.name} workspace (${plan.sizes.join(", ")}).`,
      monthCents: plan.monthCents,
      kind: "app" as const,
      apps: [app.key],
    })),
  ),
  ...HOSTING_BUNDLES.map((bundle) => ({
    key: bundle.itemKey,
    name: `${bundle.name} bundle`,
    description: `One workspace each of ${bundle.apps.join(" and ")} at one price.`,
    monthCents: bundle.monthCents,
    kind: "bundle" as const,
    apps: bundle.apps,
  })),
];

/**
 * The app plan a workspace of `size` gets when none is named: the first (cheapest listed) plan
 * of the app that allows the size.
 */
export function defaultPlanKey(app: HostingApp, size: string): string | undefined {
  return Object.entries(app.plans).find(([, plan]) => plan.sizes.includes(size))?.[0];
}

/** A workspace's item key: its bundle's, else its app plan's. */
export function itemKeyOf(
  app: HostingApp,
  choice: { plan: string | null; bundle: string | null },
): string | undefined {
  if (choice.bundle) return findBundle(choice.bundle)?.itemKey;
  return choice.plan ? app.plans[choice.plan]?.itemKey : undefined;
}

/**
 * The subscription items live workspaces call for: one unit per workspace of an app plan, and
 * per bundle the largest count of its workspaces of any one of its apps. Pure: the caller
 * counts from the database.
 */
export function itemsForWorkspaces(
  workspaces: readonly { app: string; size: string; plan: string | null; bundle: string | null }[],
): Map<string, number> {
  const units = new Map<string, number>();
  const perBundleApp = new Map<string, Map<string, number>>();
  for (const workspace of workspaces) {
    if (workspace.bundle) {
      const bundle = findBundle(workspace.bundle);
      if (!bundle) continue;
      const apps = perBundleApp.get(bundle.itemKey) ?? new Map<string, number>();
      apps.set(workspace.app, (apps.get(workspace.app) ?? 0) + 1);
      perBundleApp.set(bundle.itemKey, apps);
      continue;
    }
    const app = findApp(workspace.app);
    // Workspaces from before plans were recorded: the plan their size defaults to.
    const plan = app && (workspace.plan ?? defaultPlanKey(app, workspace.size));
    const key = app && plan ? app.plans[plan]?.itemKey : undefined;
    if (key) units.set(key, (units.get(key) ?? 0) + 1);
  }
  for (const [key, apps] of perBundleApp) units.set(key, Math.max(...apps.values()));
  return units;
}
