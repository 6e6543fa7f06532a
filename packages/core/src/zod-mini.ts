// The contracts are written with zod's tree-shakable "mini" API: the same schemas validate on
// the server (tRPC inputs) and in the browser (forms), where classic zod would add ~30 KB gzip
// to every page with a form. Imported for its effect: English messages for the checks without
// a message of their own (only the English locale: "zod/locales" brings every language).
import en from "zod/v4/locales/en.js";
import { config } from "zod/mini";

config(en());
