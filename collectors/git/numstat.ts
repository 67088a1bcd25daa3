/**
 * Sums `git diff --numstat` output into lines added and deleted. Binary files
 * (`-\t-\tpath`) have no line counts and add nothing.
 */

/** Lines added and deleted over every file of a diff. */
export interface LineCounts {
  additions: number;
  deletions: number;
}

/** Parses numstat lines (`<added>\t<deleted>\t<path>`); lines of any other shape are ignored. */
export function sumNumstat(output: string): LineCounts {
  let additions = 0;
  let deletions = 0;
  for (const line of output.split('\n')) {
    const m = /^(\d+)\t(\d+)\t/.exec(line);
    if (!m) continue;
    additions += Number(m[1]);
    deletions += Number(m[2]);
  }
  return { additions, deletions };
}
