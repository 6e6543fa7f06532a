// An approximate tokenizer for the offline provider and for providers that report no usage.
// It is not a BPE tokenizer; it only has to be deterministic and in the right range:
//   - a word piece is an optional leading space plus up to 6 letters/digits (a longer word
//     is several pieces: "tokenization" → "tokeni", "zation");
//   - every other character (punctuation, symbols, a newline) is a piece of its own;
//   - whitespace other than the single leading space is its own piece per character.
// For English prose that lands near OpenAI's rule of thumb (~4 characters per token).
// Chat framing follows OpenAI's documented accounting: 3 tokens per message plus 3 that
// prime the reply.

const PIECE = /[ ]?[\p{L}\p{N}]{1,6}|[ ]?[^\s\p{L}\p{N}]|\s/gu;

/** The text cut into the pieces the offline provider streams (joined, they are the text). */
export function tokenize(text: string): string[] {
  return text.match(PIECE) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_REPLY = 3;

/** Prompt tokens of a chat: each message's content plus its framing, plus the reply priming. */
export function countPromptTokens(system: string | undefined, contents: readonly string[]): number {
  const all = system === undefined ? contents : [system, ...contents];
  return all.reduce(
    (sum, content) => sum + TOKENS_PER_MESSAGE + countTokens(content),
    TOKENS_PER_REPLY,
  );
}
