//! A team book over TLS: the server's certificate is verified, against the
//! CA named by PGSSLROOTCERT. Its own process (the environment is set here)
//! and its own server, with TLS on.

mod pg_support;

use dossier::store::engine;

#[test]
fn tls_is_used_and_the_certificate_is_checked() {
    let Some((pg, cert)) = pg_support::tls_server() else {
        assert!(
            pg_support::skip_allowed()
                || std::env::var("DOSSIER_TEST_PG_URL").is_ok_and(|u| !u.is_empty()),
            "no PostgreSQL server binaries or openssl for the TLS test (DOSSIER_SKIP_PG=1 skips it knowingly)"
        );
        return;
    };
    let url = format!("{}?sslmode=require", pg.admin_url);
    // A self-signed certificate no one said to trust: refused.
    let e = engine::connect(&url)
        .err()
        .expect("an unknown CA is refused");
    assert!(e.to_string().contains("cannot open the team book"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, cert).unwrap();
    // SAFETY (edition 2021: safe fn): the only test in this process.
    std::env::set_var("PGSSLROOTCERT", &ca);
    let mut c = engine::connect(&url).unwrap();
    let ssl: bool = c
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(ssl, "the connection is encrypted");
    std::env::set_var("PGSSLROOTCERT", dir.path().join("missing.pem"));
    assert!(engine::connect(&url).is_err());
    std::env::remove_var("PGSSLROOTCERT");
}
