// The demo-booking module: the public "book a demo" page (/demo) — Calendly's scheduling page
// when CALENDLY_URL is set (bookings arrive by its signed webhook), else the built-in form,
// which stores a REQUESTED booking and emails the operator and the requester through the
// email outbox. Bookings are public leads, not tenant data: no tenantModels, RLS on and no
// policy (prisma/schema/demo-booking.prisma); the operator console lists them
// (/admin/demo-bookings). docs/modules.md, docs/products/sales-training.md.
import type { TransactionClient } from "@plinth/db";
import { defineModule } from "@plinth/platform";

/** The address a lead booked with: a user who signed up with it is that person. */
async function userEmail(tx: TransactionClient, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
  return user?.email ? user.email.toLowerCase() : null;
}

export const demoBookingModule = defineModule({
  key: "demo-booking",
  name: "Demo booking",
  description: "A public page to book a demo: Calendly, or a built-in form that emails both sides.",
  gdpr: {
    exportUser: async (tx, userId) => {
      const email = await userEmail(tx, userId);
      return {
        demoBookings: email
          ? await tx.demoBooking.findMany({
              where: { email },
              orderBy: { createdAt: "asc" },
              select: {
                id: true,
                source: true,
                status: true,
                name: true,
                email: true,
                company: true,
                notes: true,
                scheduledStart: true,
                scheduledEnd: true,
                createdAt: true,
              },
            })
          : [],
      };
    },
    // Erased with the account: a lead's record has no reason to outlive the person's wish.
    deleteUser: async (tx, userId) => {
      const email = await userEmail(tx, userId);
      if (!email) return;
      const bookings = await tx.demoBooking.findMany({ where: { email }, select: { id: true } });
      const ids = bookings.map((booking) => booking.id);
      await tx.calendlyEvent.deleteMany({ where: { bookingId: { in: ids } } });
      await tx.demoBooking.deleteMany({ where: { id: { in: ids } } });
    },
  },
});

export default demoBookingModule;
