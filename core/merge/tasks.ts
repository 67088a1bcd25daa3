/**
 * Rule 7 of the merge, tasks: the tasks a session created and completed
 * (TaskCreate/TaskUpdate tools, TaskCreated/TaskCompleted hooks), one entry
 * per task id.
 */
import type { NormalizedEvent, SessionTask } from '../../schema/index.js';

/**
 * The session's tasks in order of first sighting. `sorted` must come from
 * `sortEvents`. `subject` is the latest non-null subject; `created_at` the
 * first `created` sighting and `completed_at` the first `completed` one.
 * Completion is final: once any source reports it, a later `updated`
 * (another source echoing an earlier edit) does not reopen the task.
 */
export function projectTasks(sorted: readonly NormalizedEvent[]): SessionTask[] {
  const tasks = new Map<string, SessionTask>();
  for (const e of sorted) {
    if (e.kind !== 'task.changed') continue;
    let task = tasks.get(e.attrs.task_id);
    if (!task) {
      task = { task_id: e.attrs.task_id, subject: null, state: e.attrs.state, created_at: null, completed_at: null };
      tasks.set(e.attrs.task_id, task);
    }
    if (e.attrs.subject !== undefined) task.subject = e.attrs.subject;
    if (e.attrs.state === 'created') task.created_at ??= e.ts;
    if (e.attrs.state === 'completed') task.completed_at ??= e.ts;
    task.state = task.completed_at !== null ? 'completed' : e.attrs.state;
  }
  return [...tasks.values()];
}
