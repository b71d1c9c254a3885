// callAs: what a set of credentials can still do, probed with one raw Query request (no SDK needed).
/**
 * One raw request signed (in form only: the simulator reads the credential scope, not the signature) with the given
 * credentials, for probing what a person's own keys can still do without importing the SDK.
 */
export async function callAs(url: string, credentials: {accessKeyId: string; sessionToken?: string},
  service: 'iam' | 'sts', params: Record<string, string>): Promise<{status: number; code: string | null}> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/us-east-1/${service}/aws4_request, ` +
      'SignedHeaders=host, Signature=0',
  };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const res = await fetch(url, {method: 'POST', headers, body: new URLSearchParams({...params, Version: version})});
  const text = await res.text();
  return {status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null};
}
