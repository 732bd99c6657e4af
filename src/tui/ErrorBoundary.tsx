/**
 * Last line of defence (ink src/components/ErrorBoundary.tsx): a component that throws while
 * rendering shows one red line instead of taking the shell down. Each pane has its own boundary,
 * keyed by the result count so the next command gets a fresh attempt; the App has one too.
 */
import React from 'react';
import { Text } from 'ink';

export interface ErrorBoundaryProps {
  /** What failed, e.g. 'equity pane'. */
  readonly name: string;
  readonly children?: React.ReactNode;
  /** Called once with the error (the App logs it). */
  readonly onError?: (error: Error) => void;
  /** Drawn under the error line (the top-level boundary offers a way out). */
  readonly fallback?: React.ReactNode;
}

interface State {
  readonly error: Error | undefined;
}

export class ErrorBoundary extends React.Component<ErrorBoundaryProps, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error): void {
    this.props.onError?.(error);
  }

  override render(): React.ReactNode {
    if (this.state.error) {
      return (
        <>
          <Text color="red" wrap="truncate">
            {this.props.name} failed to draw: {this.state.error.message.split('\n')[0]}
          </Text>
          {this.props.fallback ?? null}
        </>
      );
    }
    return this.props.children;
  }
}
