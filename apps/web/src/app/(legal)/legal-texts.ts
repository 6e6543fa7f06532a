// The terms of service and the privacy notice, as the /terms and /privacy pages show them. They
// are what the terms step (src/server/terms-step.ts) and sign-up's clickwrap ask users to
// accept, so their version is the consent's own: TERMS_CONSENT_VERSION, recorded with every
// TERMS consent. A change of either text is a new version: bump TERMS_CONSENT_VERSION
// (packages/platform/src/contracts/consents.ts; everyone is asked again) and record the texts'
// new digest in apps/web/test/legal-texts.test.ts, which fails until both are done. The version
// is the date the texts take effect (YYYY-MM-DD).
import { TERMS_CONSENT_VERSION } from "@plinth/product/contracts";

export interface LegalSection {
  heading: string;
  paragraphs: readonly string[];
}

export interface LegalText {
  title: string;
  /** The consent version the terms step records (the same constant). */
  version: string;
  /** When this version took effect: the version's date. */
  effective: string;
  sections: readonly LegalSection[];
}

export const LEGAL_VERSION = TERMS_CONSENT_VERSION;

export const TERMS_OF_SERVICE: LegalText = {
  title: "Terms of service",
  version: LEGAL_VERSION,
  effective: LEGAL_VERSION,
  sections: [
    {
      heading: "The service",
      paragraphs: [
        "Plinth is a hosted software service: organizations, their members, the products the operator enables (such as sales practice with an AI prospect, test automation and AI tasks) and a public API. These terms apply to everyone who creates an account or uses the service on behalf of an organization.",
      ],
    },
    {
      heading: "Accounts and organizations",
      paragraphs: [
        "You keep your sign-in details to yourself and tell us about any unauthorised use. An organization's owners and admins decide who is a member and what each member may do; they are responsible for the members they invite.",
        "You must be old enough to enter into a contract where you live, and the information you give us must be accurate.",
      ],
    },
    {
      heading: "Acceptable use",
      paragraphs: [
        "Do not use the service to break the law, to infringe anyone's rights, to send unsolicited messages, to probe or overload the service or other systems, or to get around plan limits, rate limits or access controls.",
        "Practice sessions are recorded: record only yourself, and only with the recording consent the service asks for before your first session.",
      ],
    },
    {
      heading: "Plans, trials and payment",
      paragraphs: [
        "Paid plans are billed in advance for their period, and metered usage after it, through our payment provider. A trial ends on its stated date; the organization then becomes read-only until a plan is chosen. You can cancel at any time; a cancellation takes effect at the end of the paid period.",
      ],
    },
    {
      heading: "Your content and your keys",
      paragraphs: [
        "What you and your organization put into the service stays yours. You give us the right to store, process and transmit it only to run the service for you, including sending it to the third-party providers your organization chooses (for example its own speech-to-text account).",
        "API keys an organization stores with us are kept encrypted and used only for the calls your organization asks for.",
      ],
    },
    {
      heading: "Availability, liability and changes",
      paragraphs: [
        "We aim to keep the service available and your data safe, but provide it as it is, without warranties beyond those the law requires. To the extent the law allows, our liability is limited to the fees your organization paid in the twelve months before the claim.",
        "When these terms change we publish a new version with its effective date and ask you to accept it before you continue to use the service.",
      ],
    },
    {
      heading: "Ending",
      paragraphs: [
        "You can delete your account or your organization at any time from the account and organization settings. We may suspend an account that breaks these terms. Personal data is then handled as the privacy notice describes.",
      ],
    },
  ],
};

export const PRIVACY_NOTICE: LegalText = {
  title: "Privacy notice",
  version: LEGAL_VERSION,
  effective: LEGAL_VERSION,
  sections: [
    {
      heading: "What we hold",
      paragraphs: [
        "Your account: name, email address, password hash or the sign-in provider you linked, sessions and preferences. Your organizations: their names, members, roles, plan and billing state, usage and audit log.",
        "What you create in the products: for sales practice, the recordings of your sessions, their transcripts, the feedback on them and the minutes used; for the other products, your projects, runs, tasks and their results.",
        "Your consents: which version of these texts, of the recording notice and of marketing email you accepted or declined, and when.",
      ],
    },
    {
      heading: "Why",
      paragraphs: [
        "To provide the service you signed up for (the contract), to keep it secure and bill for it (legitimate interest and legal obligations), and, only if you agree, to send product news (consent, which you can withdraw on your account page).",
      ],
    },
    {
      heading: "Who else processes it",
      paragraphs: [
        "Our hosting and database providers; the payment provider for billing; the email provider for transactional email; and, for practice sessions, the speech and AI providers configured for your organization — the offline engines on our own servers by default, or the provider your organization chose with its own key.",
      ],
    },
    {
      heading: "How long",
      paragraphs: [
        "Practice recordings are deleted after the retention period your organization sets (90 days unless it sets another); transcripts and feedback stay until you or your organization delete them. Data export files expire after 7 days. Billing records are kept as long as accounting law requires, without your name.",
      ],
    },
    {
      heading: "Your rights",
      paragraphs: [
        "On your account page you can download all your data (a zip with a JSON file and your recordings and transcripts), correct your profile, withdraw consents, and delete your account: you are signed out at once and your data is erased, except what accounting requires, which is kept pseudonymised.",
        "You can also object to processing, ask for a restriction, or complain to your data protection authority.",
      ],
    },
  ],
};
