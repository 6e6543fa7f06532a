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
  /** Monthly price per workspace of this app, per plan (cents). */
  plans: Readonly<Record<string, { name: string; monthCents: number; sizes: readonly string[] }>>;
  /** The database bootstrap the providers apply once the database exists. */
  bootstrapSql: readonly string[];
}

export interface HostingBundle {
  key: string;
  name: string;
  apps: readonly string[];
  monthCents: number;
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
      standard: { name: "Bahmni Standard", monthCents: 29_900, sizes: ["small", "medium"] },
      clinic: { name: "Bahmni Clinic", monthCents: 59_900, sizes: ["small", "medium", "large"] },
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
      standard: { name: "ERPNext Standard", monthCents: 19_900, sizes: ["small", "medium"] },
      business: {
        name: "ERPNext Business",
        monthCents: 49_900,
        sizes: ["small", "medium", "large"],
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
      standard: { name: "Odoo Standard", monthCents: 14_900, sizes: ["small", "medium", "large"] },
    },
    bootstrapSql: [
      ...metaTable,
      `CREATE TABLE IF NOT EXISTS res_partner (id bigserial PRIMARY KEY, name text NOT NULL, email text)`,
    ],
  },
];

export const HOSTING_BUNDLES: readonly HostingBundle[] = [
  { key: "health-erp", name: "Hospital + ERP", apps: ["bahmni", "erpnext"], monthCents: 39_900 },
  { key: "business", name: "ERP + CRM", apps: ["erpnext", "odoo"], monthCents: 29_900 },
];

export const HOSTING_REGIONS = ["eu-central", "us-east", "ap-south"] as const;
export type HostingRegion = (typeof HOSTING_REGIONS)[number];

export function findApp(key: string): HostingApp | undefined {
  return HOSTING_APPS.find((app) => app.key === key);
}

export function findSize(app: HostingApp, key: string): HostingSize | undefined {
  return app.sizes.find((size) => size.key === key);
}
