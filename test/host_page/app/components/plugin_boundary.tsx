// Like the webapp's pluggable error boundary: a crashing plugin component shows a note, not a blank page.
import React from 'react';

interface State {
    error: string | null;
}

export class PluginBoundary extends React.Component<{children: React.ReactNode}, State> {
    override state: State = {error: null};

    static getDerivedStateFromError(e: unknown): State {
        return {error: e instanceof Error ? e.message : String(e)};
    }

    override render() {
        if (this.state.error !== null) {
            return <div className='host-plugin-error' role='alert'>{`A plugin component failed: ${this.state.error}`}</div>;
        }
        return this.props.children;
    }
}
