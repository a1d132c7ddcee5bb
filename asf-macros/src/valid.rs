//! Meaning-level checks: what item the attribute stands on, test signatures,
//! doc comments.

use syn::spanned::Spanned;
use syn::{Attribute, Expr, FnArg, ItemFn, Lit, Meta, Type};

/// True when the attribute is `#[vpp_test]` or `#[some::path::vpp_test]`.
pub fn is_vpp_test(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "vpp_test")
}

/// The tokens inside `#[vpp_test(...)]` (empty for a bare `#[vpp_test]`).
pub fn attr_tokens(attr: &Attribute) -> syn::Result<proc_macro2::TokenStream> {
    match &attr.meta {
        Meta::Path(_) => Ok(proc_macro2::TokenStream::new()),
        Meta::List(list) => Ok(list.tokens.clone()),
        Meta::NameValue(nv) => Err(syn::Error::new(
            nv.span(),
            "write the options in parentheses: #[vpp_test(solo, workers = 2)]",
        )),
    }
}

/// The text of the doc comments among `attrs`, one leading space per line
/// removed, surrounding blank lines trimmed.
pub fn doc_text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let Meta::NameValue(nv) = &attr.meta {
            if let Expr::Lit(lit) = &nv.value {
                if let Lit::Str(s) = &lit.lit {
                    let value = s.value();
                    for line in value.lines() {
                        lines.push(
                            line.strip_prefix(' ')
                                .unwrap_or(line)
                                .trim_end()
                                .to_string(),
                        );
                    }
                }
            }
        }
    }
    lines.join("\n").trim().to_string()
}

/// Checks that a test function has the shape the runner can call:
/// `fn name(t: &mut TestCase) -> TestResult` (or `&TestCase`, or `()`).
pub fn test_signature(f: &ItemFn) -> Vec<syn::Error> {
    let sig = &f.sig;
    let mut errors = Vec::new();
    let shape = "a test is `fn name(t: &mut asf_core::TestCase) -> asf_core::TestResult`";
    if let Some(a) = &sig.asyncness {
        errors.push(syn::Error::new(
            a.span(),
            format!("a test cannot be `async`: VPP calls are blocking; {shape}"),
        ));
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        errors.push(syn::Error::new(
            u.span(),
            format!("a test cannot be `unsafe fn`; {shape}"),
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new(
            abi.span(),
            format!("a test cannot have an `extern` ABI; {shape}"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            sig.generics.span(),
            format!(
                "a test cannot be generic: the runner calls it with one concrete type; {shape}"
            ),
        ));
    }
    if let Some(v) = &sig.variadic {
        errors.push(syn::Error::new(v.span(), shape));
    }
    match sig.inputs.len() {
        1 => {
            match &sig.inputs[0] {
                FnArg::Receiver(r) => errors.push(syn::Error::new(
                    r.span(),
                    format!("a test is a free function, not a method; {shape}"),
                )),
                FnArg::Typed(pt) => {
                    if !matches!(*pt.ty, Type::Reference(_)) {
                        errors.push(syn::Error::new(
                        pt.ty.span(),
                        format!("a test takes the test case by reference (`&mut TestCase`); {shape}"),
                    ));
                    }
                }
            }
        }
        n => {
            let span = if n == 0 {
                sig.paren_token.span.join()
            } else {
                sig.inputs.span()
            };
            errors.push(syn::Error::new(
                span,
                format!("a test takes exactly one argument, the test case, found {n}; {shape}"),
            ));
        }
    }
    errors
}
