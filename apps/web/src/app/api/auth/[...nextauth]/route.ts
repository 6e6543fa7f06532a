import { handlers } from "@plinth/auth";

export const dynamic = "force-dynamic";
export const { GET, POST } = handlers;
