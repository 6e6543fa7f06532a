"use client";
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Banner, Button, FieldErrors, Input, UpgradePrompt } from "@plinth/ui";
import { trpc, type ClientError } from "~/trpc/react.tsx";
import { describeRefusal, fieldErrorsOf, upgradeRefusalOf } from "~/trpc/errors.ts";

type Project = RouterOutputs["project"]["list"][number];

interface Props {
  organizationId: string;
  slug: string;
  planName: string;
  canDelete: boolean;
  initialProjects: Project[];
}

export function ProjectsView({
  organizationId,
  slug,
  planName,
  canDelete,
  initialProjects,
}: Props) {
  const utils = trpc.useUtils();
  const listInput = { organizationId, status: "ALL" as const };
  const projects = trpc.project.list.useQuery(listInput, { initialData: initialProjects });
  const [name, setName] = useState("");
  const [refusalError, setRefusalError] = useState<ClientError | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const onError = (error: ClientError) => {
    if (upgradeRefusalOf(error)) setRefusalError(error);
    else setActionError(error.message);
  };
  const onSuccess = async () => {
    setRefusalError(null);
    setActionError(null);
    await utils.project.list.invalidate(listInput);
  };

  const create = trpc.project.create.useMutation({
    onSuccess: async () => {
      setName("");
      await onSuccess();
    },
    onError: (error) => {
      if (upgradeRefusalOf(error)) setRefusalError(error);
    },
  });
  const rename = trpc.project.rename.useMutation({ onSuccess, onError });
  const archive = trpc.project.archive.useMutation({ onSuccess, onError });
  const unarchive = trpc.project.unarchive.useMutation({ onSuccess, onError });
  const remove = trpc.project.delete.useMutation({ onSuccess, onError });

  const refusal = upgradeRefusalOf(refusalError);
  const createFieldErrors = fieldErrorsOf(create.error);
  const createOtherError =
    create.error && !upgradeRefusalOf(create.error) && !createFieldErrors.name
      ? create.error.message
      : null;
  const rows = projects.data ?? [];

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Projects</h1>
      </div>

      {refusal ? (
        <UpgradePrompt
          reason={describeRefusal(refusal, planName)}
          planName={refusal.upgrade?.planName ?? null}
          upgradeHref={`/o/${slug}/billing`}
          onDismiss={() => setRefusalError(null)}
        />
      ) : null}
      {actionError ? <Banner tone="danger">{actionError}</Banner> : null}

      <form
        className="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ organizationId, name });
        }}
      >
        <Input
          label="New project"
          name="name"
          placeholder="Project name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          errors={createFieldErrors.name}
          maxLength={80}
        />
        <Button type="submit" loading={create.isPending}>
          Create project
        </Button>
      </form>
      <FieldErrors errors={createOtherError ? [createOtherError] : null} />

      {rows.length === 0 ? (
        <p className="empty">No projects yet. Create your first one above.</p>
      ) : (
        <table className="table" aria-label="Projects">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Created</th>
              <th className="actions-col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((project) => (
              <ProjectRow
                key={project.id}
                project={project}
                canDelete={canDelete}
                busy={
                  rename.isPending || archive.isPending || unarchive.isPending || remove.isPending
                }
                onRename={(newName) =>
                  rename.mutateAsync({ organizationId, projectId: project.id, name: newName })
                }
                onArchive={() => archive.mutate({ organizationId, projectId: project.id })}
                onUnarchive={() => unarchive.mutate({ organizationId, projectId: project.id })}
                onDelete={() => {
                  if (window.confirm(`Delete “${project.name}”? This cannot be undone.`)) {
                    remove.mutate({ organizationId, projectId: project.id });
                  }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ProjectRow(props: {
  project: Project;
  canDelete: boolean;
  busy: boolean;
  onRename: (name: string) => Promise<unknown>;
  onArchive: () => void;
  onUnarchive: () => void;
  onDelete: () => void;
}) {
  const { project } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const [errors, setErrors] = useState<string[] | undefined>(undefined);
  const archived = project.status === "ARCHIVED";

  return (
    <tr className={archived ? "row--muted" : undefined}>
      <td>
        {editing ? (
          <form
            className="inline-form inline-form--tight"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              props
                .onRename(name)
                .then(() => {
                  setEditing(false);
                  setErrors(undefined);
                })
                .catch((error: ClientError) =>
                  setErrors(fieldErrorsOf(error).name ?? [error.message]),
                );
            }}
          >
            <Input
              label="Project name"
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              errors={errors}
              autoFocus
            />
            <Button type="submit" size="sm">
              Save
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <span className="project-name">{project.name}</span>
        )}
      </td>
      <td>
        <span className={archived ? "badge badge--muted" : "badge badge--ok"}>
          {archived ? "Archived" : "Active"}
        </span>
      </td>
      <td>{project.createdAt.toISOString().slice(0, 10)}</td>
      <td className="actions-col">
        {!editing ? (
          <div className="row-actions">
            <Button variant="link" size="sm" disabled={props.busy} onClick={() => setEditing(true)}>
              Rename
            </Button>
            {archived ? (
              <Button variant="link" size="sm" disabled={props.busy} onClick={props.onUnarchive}>
                Unarchive
              </Button>
            ) : (
              <Button variant="link" size="sm" disabled={props.busy} onClick={props.onArchive}>
                Archive
              </Button>
            )}
            {props.canDelete ? (
              <Button
                variant="link"
                size="sm"
                className="danger-text"
                disabled={props.busy}
                onClick={props.onDelete}
              >
                Delete
              </Button>
            ) : null}
          </div>
        ) : null}
      </td>
    </tr>
  );
}
