// Types for build-stamp.mjs (plain JavaScript so `npm run serve` needs no TypeScript loader).
export declare const INPUT_DIRS: readonly string[];
export declare const INPUT_FILES: readonly string[];
export declare const OUTPUTS: readonly string[];
export declare const STAMP: string;
export declare function inputsDigest(root: string): string;
export declare function staleReason(root: string): string | null;
export declare function clearStamp(root: string): void;
export declare function writeStamp(root: string, digest: string): void;
