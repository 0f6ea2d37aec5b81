/** The project's root directory. */
export const root: string;
/** dist/.build-stamp: written at the end of every build into dist/. */
export const stampFile: string;
/** Compiles server/ and migrations/ into `outDir` (dist/ by default, inside the project). */
export function build(outDir?: string): void;
