import { Link } from 'react-router-dom';

export default function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <section className="not-found">
      <h1>Not found</h1>
      <p>There is no such {what} in your organization.</p>
      <p>
        <Link to="/incidents">Back to incidents</Link>
      </p>
    </section>
  );
}
