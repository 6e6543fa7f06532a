"use client";
// Projects: create (refused by the plan → the upgrade prompt), rename, archive, delete.
import { FolderKanban } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { ActionsMenu } from "@plinth/ui/actions-menu";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import { Form, InputField } from "@plinth/ui/form";
import { formatDay } from "@plinth/ui/lib/format";
import { usePagedRows, useSortedRows } from "@plinth/ui/lib/sorting";
import { PageHeader } from "@plinth/ui/page-header";
import { ClientPagination } from "@plinth/ui/pagination";
import {
  SortableHead,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@plinth/ui/tabs";
import { toast } from "@plinth/ui/toaster";
import { upgradeOfferOf, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { usePreloadWhenIdle } from "@plinth/web-kit/preload";
import { reportError } from "@plinth/web-kit/feedback";
import type { ProjectsOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

// Dialogs open on interaction only: split off, fetched when the page is idle.
const loadRename = () => import("./rename-dialog.tsx");
const loadConfirm = () => import("@plinth/ui/confirm-dialog");
const loadUpgrade = () => import("@plinth/ui/upgrade-dialog");
const RenameDialog = dynamic(loadRename, { ssr: false });
const ConfirmDialog = dynamic(() => loadConfirm().then((m) => m.ConfirmDialog), { ssr: false });
const UpgradeDialog = dynamic(() => loadUpgrade().then((m) => m.UpgradeDialog), { ssr: false });

type Project = ProjectsOutputs["project"]["list"][number];
type Filter = "ALL" | "ACTIVE" | "ARCHIVED";

interface Props {
  organizationId: string;
  slug: string;
  planName: string;
  canDelete: boolean;
  initialProjects: Project[];
  /** A project to point out (the search palette opens the page with ?project=<id>). */
  highlight: string | null;
}

const PAGE_SIZE = 10;

export function ProjectsView(props: Props) {
  const { organizationId, slug, planName, canDelete } = props;
  const utils = api.useUtils();
  const listInput = { organizationId, status: "ALL" as const };
  const projects = api.project.list.useQuery(listInput, { initialData: props.initialProjects });
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const [filter, setFilter] = useState<Filter>("ALL");
  const [renaming, setRenaming] = useState<Project | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const refresh = () => utils.project.list.invalidate(listInput);
  usePreloadWhenIdle(loadRename, loadConfirm, loadUpgrade);
  const onError = (error: Parameters<typeof reportError>[0]) =>
    reportError(error, { onRefusal: setRefusal });

  const form = useContractForm("createProjectInput", { defaultValues: { name: "" } });
  const create = api.project.create.useMutation({
    onSuccess: async (project) => {
      form.reset();
      toast.success(`Project “${project.name}” created`);
      await refresh();
    },
    onError: (error) => reportError(error, { form, onRefusal: setRefusal }),
  });
  const archive = api.project.archive.useMutation({ onSuccess: refresh, onError });
  const unarchive = api.project.unarchive.useMutation({ onSuccess: refresh, onError });
  const remove = api.project.delete.useMutation({ onError });

  const all = projects.data ?? [];
  const counts = {
    ALL: all.length,
    ACTIVE: all.filter((p) => p.status === "ACTIVE").length,
    ARCHIVED: all.filter((p) => p.status === "ARCHIVED").length,
  };
  const visible = useMemo(
    () => (filter === "ALL" ? all : all.filter((p) => p.status === filter)),
    [all, filter],
  );
  const sorted = useSortedRows(
    visible,
    { name: (p) => p.name, status: (p) => p.status, created: (p) => p.createdAt },
    { key: "created", direction: "desc" },
  );
  const paged = usePagedRows(sorted.rows, PAGE_SIZE);

  return (
    <div className="grid gap-6">
      <PageHeader title="Projects" description="Everything your organization works on." />

      <Card>
        <CardHeader>
          <CardTitle>New project</CardTitle>
          <CardDescription>Your {planName} plan decides how many you can have.</CardDescription>
        </CardHeader>
        <CardContent>
          <Form {...form}>
            <form
              aria-label="New project"
              className="flex flex-col gap-3 sm:flex-row sm:items-start"
              noValidate
              onSubmit={(event) =>
                void form.handleSubmit((values) => create.mutate({ organizationId, ...values }))(
                  event,
                )
              }
            >
              <InputField
                control={form.control}
                name="name"
                label="Project name"
                placeholder="e.g. Checkout flows"
                maxLength={80}
                className="flex-1"
              />
              <Button type="submit" loading={create.isPending} className="sm:mt-[1.375rem]">
                Create project
              </Button>
            </form>
          </Form>
        </CardContent>
      </Card>

      <Tabs value={filter} onValueChange={(value) => setFilter(value as Filter)}>
        <TabsList aria-label="Show projects">
          <TabsTrigger value="ALL">All ({counts.ALL})</TabsTrigger>
          <TabsTrigger value="ACTIVE">Active ({counts.ACTIVE})</TabsTrigger>
          <TabsTrigger value="ARCHIVED">Archived ({counts.ARCHIVED})</TabsTrigger>
        </TabsList>
        {(["ALL", "ACTIVE", "ARCHIVED"] as const).map((value) => (
          <TabsContent key={value} value={value} className="grid gap-3">
            {all.length === 0 ? (
              <EmptyState icon={<FolderKanban aria-hidden="true" />} title="No projects yet">
                Create your first one above.
              </EmptyState>
            ) : (
              <Card className="py-0">
                <Table aria-label="Projects">
                  <TableHeader>
                    <TableRow>
                      <SortableHead {...sorted.headProps("name")}>Name</SortableHead>
                      <SortableHead {...sorted.headProps("status")}>Status</SortableHead>
                      <SortableHead {...sorted.headProps("created")}>Created</SortableHead>
                      <TableHead className="w-12">
                        <span className="sr-only">Actions</span>
                      </TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {paged.rows.length === 0 ? (
                      <TableEmpty colSpan={4}>No {value.toLowerCase()} projects.</TableEmpty>
                    ) : (
                      paged.rows.map((project) => (
                        <ProjectRow
                          key={project.id}
                          project={project}
                          highlighted={project.id === props.highlight}
                          canDelete={canDelete}
                          onRename={() => setRenaming(project)}
                          onArchive={() =>
                            archive.mutate({ organizationId, projectId: project.id })
                          }
                          onUnarchive={() =>
                            unarchive.mutate({ organizationId, projectId: project.id })
                          }
                          onDelete={() => setDeleting(project)}
                        />
                      ))
                    )}
                  </TableBody>
                </Table>
              </Card>
            )}
            <ClientPagination
              page={paged.page}
              pageCount={paged.pageCount}
              onPageChange={paged.setPage}
            />
          </TabsContent>
        ))}
      </Tabs>

      {renaming ? (
        <RenameDialog
          organizationId={organizationId}
          project={renaming}
          onClose={() => setRenaming(null)}
          onRenamed={refresh}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) setDeleting(null);
          }}
          title={`Delete “${deleting?.name ?? ""}”?`}
          description="The project and everything in it are deleted. This cannot be undone."
          confirmLabel="Delete project"
          onConfirm={async () => {
            if (!deleting) return;
            await remove.mutateAsync({ organizationId, projectId: deleting.id });
            toast.success(`Project “${deleting.name}” deleted`);
            await refresh();
          }}
        />
      ) : null}
      {refusal ? (
        <UpgradeDialog
          open
          onOpenChange={(open) => {
            if (!open) setRefusal(null);
          }}
          {...upgradeOfferOf(refusal, planName)}
          upgradeLink={<Link href={`/o/${slug}/billing`}>See plans and upgrade</Link>}
        />
      ) : null}
    </div>
  );
}

function ProjectRow(props: {
  project: Project;
  highlighted: boolean;
  canDelete: boolean;
  onRename: () => void;
  onArchive: () => void;
  onUnarchive: () => void;
  onDelete: () => void;
}) {
  const { project } = props;
  const archived = project.status === "ARCHIVED";
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (props.highlighted) row.current?.scrollIntoView({ block: "center" });
  }, [props.highlighted]);
  return (
    <TableRow ref={row} data-state={props.highlighted ? "selected" : undefined}>
      <TableCell className={archived ? "font-medium text-muted-foreground" : "font-medium"}>
        {project.name}
      </TableCell>
      <TableCell>
        <Badge variant={archived ? "secondary" : "success"}>
          {archived ? "Archived" : "Active"}
        </Badge>
      </TableCell>
      <TableCell className="whitespace-nowrap text-muted-foreground">
        {formatDay(project.createdAt)}
      </TableCell>
      <TableCell className="text-right">
        <ActionsMenu
          label={`Actions for ${project.name}`}
          actions={[
            { label: "Rename", onSelect: props.onRename },
            archived
              ? { label: "Unarchive", onSelect: props.onUnarchive }
              : { label: "Archive", onSelect: props.onArchive },
            ...(props.canDelete
              ? [{ label: "Delete…", onSelect: props.onDelete, destructive: true, separated: true }]
              : []),
          ]}
        />
      </TableCell>
    </TableRow>
  );
}
