/**
 * The lifecycle hook of a blue/green deployment (placeholder: the checks land in the next commit).
 */
export async function handler(): Promise<{ hookStatus: string }> {
  return { hookStatus: 'FAILED' };
}
