import type { Metadata } from "next";
import { ApiLogPage } from "@plinth/api-catalog/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "API call log" };
export default modulePage("api-catalog", ApiLogPage);
