// The webapp tests' environment: jsdom plus the web platform classes browsers have and jsdom lacks (the client and
// the fake transport use TextEncoder and Response), taken from Node's implementations.
import JSDOMEnvironment from 'jest-environment-jsdom';

export default class WebappEnvironment extends JSDOMEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.assign(this.global, {TextEncoder, TextDecoder, Response, Request, Headers, structuredClone});
  }
}
