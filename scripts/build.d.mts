/** The project's root directory. */
export const root: string;
/** dist/.build-stamp: written at the end of every build into dist/. */
export const stampFile: string;
/** Compiles server/ and migrations/ into `outDir` (dist/ by default, inside the project). */
export function build(outDir?: string): void;
/** Builds dist/ when `entry` is missing or a source is newer than the build; true if it built. */
export function ensureBuild(entry: string, log?: (line: string) => void): boolean;
