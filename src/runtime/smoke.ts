/** The question of a smoke turn: a healthy setup answers exactly PONG (`turn --smoke`, doctor's `turn.smoke`). */
export const SMOKE_PROMPT = 'Reply with exactly PONG and nothing else.';
