/** A form field's problem(s), under the field, announced to screen readers; nothing when there is none. */
export function FieldError({ id, message }: { id: string; message: string | readonly string[] | undefined }) {
  if (message === undefined || message.length === 0) return null;
  const lines = typeof message === 'string' ? [message] : message;
  return (
    <span id={id} className="field-error" role="alert" data-testid={id}>
      {lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
    </span>
  );
}
