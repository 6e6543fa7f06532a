import "server-only";
import { cache } from "react";
import { getSessionUser as readSessionUser } from "@plinth/auth";

/** The signed-in user of this request (deduplicated per request), or null. */
export const getSessionUser = cache(readSessionUser);
