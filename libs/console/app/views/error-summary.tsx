/** The API's 400 issues (path: message) at the top of a form, announced when they appear. */
export function ErrorSummary({ title, issues }: { title: string; issues: Array<{ path: string; message: string }> }) {
  if (issues.length === 0) return <div role="alert" />;
  return (
    <div role="alert" class="error-summary">
      <p>{title}</p>
      <ul>
        {issues.map((issue) => (
          <li>
            {issue.path && <code>{issue.path}</code>} {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
