/**
 * Text from the model or codex shown on a terminal, made visible: control
 * characters (C0 but for the allowed line breaks, DEL, C1, and with them the
 * escape sequences they start) are shown as `\u001b`-style escapes instead of
 * acting on the terminal, so a command an approval prompt shows cannot hide
 * or rewrite itself (`rm -rf ~ \x1b[2K\rls` would otherwise read as `ls`).
 * Pure.
 */

/** `text` with every control character shown as an escape; `\n` kept when `lines` is set (else shown as ⏎). */
export function visible(text: string, opts: { lines?: boolean } = {}): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    if (ch === '\n') return opts.lines ? '\n' : ' ⏎ ';
    if (ch === '\t') return opts.lines ? '\t' : ' ';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
