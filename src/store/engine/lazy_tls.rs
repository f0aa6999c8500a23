//! TLS for a team book's connection, set up only when the server accepts
//! it. Building a verifying connector loads the system's certificate
//! bundle (tens of milliseconds, hundreds on a loaded machine) — at every
//! start, before the first row, even when the server (a local one, say)
//! answers the TLS request with "no". This connector builds it after the
//! server said yes, in the handshake itself.

use postgres::tls::{MakeTlsConnect, TlsConnect};
use postgres::Socket;
use std::future::Future;
use std::pin::Pin;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Makes a [`LazyConnect`] per connection.
pub struct LazyTls;

/// Builds the verifying connector (see `tls_connector`) when the server
/// accepts TLS, then performs the handshake.
pub struct LazyConnect {
    domain: String,
}

impl MakeTlsConnect<Socket> for LazyTls {
    type Stream = postgres_native_tls::TlsStream<Socket>;
    type TlsConnect = LazyConnect;
    type Error = BoxError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<LazyConnect, BoxError> {
        Ok(LazyConnect {
            domain: domain.to_string(),
        })
    }
}

impl TlsConnect<Socket> for LazyConnect {
    type Stream = postgres_native_tls::TlsStream<Socket>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Stream, BoxError>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        Box::pin(async move {
            let connector = super::tls_connector().map_err(|e| BoxError::from(e.to_string()))?;
            let tls = postgres_native_tls::TlsConnector::new(connector, &self.domain);
            TlsConnect::connect(tls, stream)
                .await
                .map_err(BoxError::from)
        })
    }
}
