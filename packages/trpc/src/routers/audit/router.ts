// The organization's audit log (admins, on plans with audit.read).
import { coreModule } from "@plinth/platform";
import { listAuditLog } from "@plinth/platform/audit-log";
import { listAuditLogInput } from "@plinth/platform/contracts";
import { gatingFor } from "../../gating.ts";
import { orgAdminProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

const { feature } = gatingFor(coreModule);

export const auditRouter = createTRPCRouter({
  /** Newest first, keyset-paginated by (createdAt, id). */
  list: orgAdminProcedure
    .use(feature("audit.read"))
    .input(listAuditLogInput)
    .query(({ ctx, input }) => listAuditLog(ctx.scope, input)),
});
