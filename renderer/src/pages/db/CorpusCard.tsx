import { useState, type FormEvent } from 'react';
import type { DatabaseState } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import { formatMs } from './db-format';

/** The RAG corpus in the database, and a search box that retrieves through the pool like an agent does. */
export function CorpusCard({ state }: { state: DatabaseState }) {
  const status = useCall('rag.status', {}, state);
  const [query, setQuery] = useState('why does my pool run out of connections?');
  const retrieve = useAction((bridge, question: string) => bridge.call('rag.search', { query: question, k: 3 }));
  const { result, error } = retrieve;
  const search = (event: FormEvent): void => {
    event.preventDefault();
    void retrieve.run(query);
  };
  const rag = status.data;
  return (
    <div className="card" data-testid="rag-corpus">
      <h2>RAG corpus</h2>
      <p className="db-note">
        {rag?.ready
          ? `${rag.documents} documents, ${rag.chunks} chunks · retrieval by ${rag.retrieval === 'vector' ? 'vector distance (pgvector)' : 'full-text rank'} · pgvector ${rag.pgvector} · schema v${rag.schemaVersion}`
          : status.error
            ? `Could not count the corpus: ${status.error.message}`
            : status.loading
              ? 'Asking the database (this takes a pool client like any other caller)…'
              : 'Loaded once the database is ready.'}
        {rag?.lastIngest ? <span className="muted"> · last ingest: {rag.lastIngest.added} added, {rag.lastIngest.updated} updated, {rag.lastIngest.unchanged} unchanged in {formatMs(rag.lastIngest.ms)}</span> : null}
      </p>
      <form className="rag-search" onSubmit={search}>
        <input value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Question" disabled={state !== 'ready'} />
        <button type="submit" disabled={state !== 'ready' || query.trim() === '' || retrieve.pending}>
          Retrieve
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? (
        <ol className="rag-results" data-testid="rag-results">
          {result.results.map((hit) => (
            <li key={hit.chunkId}>
              <strong>{hit.documentTitle}</strong> <span className="muted">({hit.topic}, score {hit.score.toFixed(3)})</span>
              <div className="rag-snippet">{hit.text.length > 240 ? `${hit.text.slice(0, 240)}…` : hit.text}</div>
            </li>
          ))}
          {result.results.length === 0 ? <li className="muted">No chunk matches.</li> : null}
          <li className="muted">{result.mode} · {formatMs(result.ms)} including the pool acquire</li>
        </ol>
      ) : null}
    </div>
  );
}
