"use client";
// Renaming a project: a dialog with the rename form (loaded when first opened).
import { useEffect } from "react";
import { Button } from "@plinth/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@plinth/ui/dialog";
import { Form, InputField } from "@plinth/ui/form";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import type { ProjectsOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

type Project = ProjectsOutputs["project"]["list"][number];

export default function RenameDialog({
  organizationId,
  project,
  onClose,
  onRenamed,
}: {
  organizationId: string;
  project: Project | null;
  onClose: () => void;
  onRenamed: () => Promise<unknown>;
}) {
  const form = useContractForm("renameProjectInput", {
    defaultValues: { projectId: "", name: "" },
  });
  useEffect(() => {
    if (project) form.reset({ projectId: project.id, name: project.name });
  }, [project, form]);
  const rename = api.project.rename.useMutation({
    onSuccess: async (renamed) => {
      toast.success(`Renamed to “${renamed.name}”`);
      onClose();
      await onRenamed();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Dialog
      open={project !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rename project</DialogTitle>
          <DialogDescription>The new name shows everywhere at once.</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => rename.mutate({ organizationId, ...values }))(
                event,
              )
            }
          >
            <InputField control={form.control} name="name" label="New name" maxLength={80} />
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={rename.isPending}>
                Save
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
