/**
 * "1 mapping", "3 mappings", "2 fixes": a number with its noun, for sentences people read (issue 13:
 * no "mapping(s)"). `many` for nouns whose plural is not noun + "s".
 */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
