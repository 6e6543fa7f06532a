// Steps on the app's own UI that many scenarios share (role and label selectors only).
import type { Page } from "playwright-core";

/** On the sign-in page: the password form. */
export async function signInWithPassword(page: Page, email: string, password: string) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  // The page may also offer OAuth/SSO buttons: press the password form's own.
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs out through the account menu in the top bar; lands on the sign-in page. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/, { timeout: 30_000 });
}

/** Creates a project from the projects page's form. */
export async function createProject(page: Page, name: string) {
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
}

/** The sign-up form (name, email, password), submitted. */
export async function signUp(
  page: Page,
  fields: { name: string; email: string; password: string },
) {
  await page.getByLabel("Name", { exact: true }).fill(fields.name);
  await page.getByLabel("Email", { exact: true }).fill(fields.email);
  await page.getByLabel("Password", { exact: true }).fill(fields.password);
  await page.getByRole("button", { name: "Create account" }).click();
}
