// `plinth` — an example internal app on @plinth/client (typed tRPC with an API key):
//
//   PLINTH_URL=http://localhost:3000 PLINTH_API_KEY=plk_live_… plinth projects list
//   plinth projects create "New project"
//
// The organization is the key's own: PLINTH_ORGANIZATION_ID names it (a key cannot reach
// another organization — that is NOT_FOUND).
import { createPlinthClient, TRPCClientError } from "@plinth/client";
import { parseCliEnv } from "./env.ts";

const USAGE = "usage: plinth projects list [--all] | plinth projects create <name>";

export async function main(
  argv: readonly string[],
  write: (line: string) => void,
  source?: Record<string, string | undefined>,
): Promise<number> {
  const env = parseCliEnv(source);
  const client = createPlinthClient({ baseUrl: env.PLINTH_URL, apiKey: env.PLINTH_API_KEY });
  const organizationId = env.PLINTH_ORGANIZATION_ID;
  const [resource, command, ...rest] = argv;
  try {
    if (resource === "projects" && command === "list") {
      const status = rest.includes("--all") ? "ALL" : "ACTIVE";
      const projects = await client.project.list.query({ organizationId, status });
      for (const project of projects) write(`${project.id}\t${project.status}\t${project.name}`);
      if (projects.length === 0) write("(no projects)");
      return 0;
    }
    if (resource === "projects" && command === "create" && rest[0]) {
      const project = await client.project.create.mutate({ organizationId, name: rest.join(" ") });
      write(`created ${project.id}\t${project.name}`);
      return 0;
    }
    write(USAGE);
    return 2;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      write(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2), (line) => console.log(line));
}
