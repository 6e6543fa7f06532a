import type { Metadata } from "next";
import { ApiUsagePage } from "@plinth/api-catalog/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "API usage" };
export default modulePage("api-catalog", ApiUsagePage);
