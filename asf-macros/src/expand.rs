//! Code generation: a class module gets a `ClassDesc` static, each test a
//! `TestDesc` submitted through `inventory`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Item, ItemMod, LitStr};

use crate::args::{self, Options, Scope};
use crate::valid;

/// Entry point: dispatch on the item the attribute stands on.
pub fn vpp_test(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#item #err);
        }
    };
    match item {
        Item::Mod(m) => class(attr, m),
        Item::Fn(f) => {
            let err = syn::Error::new(
                f.sig.ident.span(),
                "this test is not inside a class: put it in an inline module marked \
                 #[vpp_test] (`#[vpp_test] mod my_class { ... }`), whose doc comment \
                 is the class header",
            )
            .to_compile_error();
            quote!(#f #err)
        }
        other => {
            let err = unsupported(&other);
            quote!(#other #err)
        }
    }
}

fn unsupported(item: &Item) -> TokenStream {
    syn::Error::new(
        item_span(item),
        "#[vpp_test] goes on an inline `mod` (a test class) or on a `fn` inside one (a test)",
    )
    .to_compile_error()
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Struct(s) => s.ident.span(),
        Item::Enum(e) => e.ident.span(),
        Item::Const(c) => c.ident.span(),
        Item::Static(s) => s.ident.span(),
        Item::Trait(t) => t.ident.span(),
        Item::Type(t) => t.ident.span(),
        Item::Union(u) => u.ident.span(),
        Item::Impl(i) => i.impl_token.span(),
        Item::Use(u) => u.use_token.span(),
        other => other.span(),
    }
}

struct Test {
    ident: syn::Ident,
    doc: String,
    opts: Options,
}

fn class(attr: TokenStream, mut m: ItemMod) -> TokenStream {
    let mut errors: Vec<syn::Error> = Vec::new();
    let opts = match args::parse(attr, Scope::Class) {
        Ok(o) => o,
        Err(e) => {
            errors.push(e);
            Options::default()
        }
    };
    let doc = valid::doc_text(&m.attrs);
    let mut tests = Vec::new();

    let Some((_, items)) = m.content.as_mut() else {
        let err = syn::Error::new(
            m.ident.span(),
            "a test class must be an inline module: `#[vpp_test] mod my_class { ... }`",
        )
        .to_compile_error();
        return quote!(#m #err);
    };
    // The module's own inner doc comments (`//!`) sit in `m.attrs` too.
    if doc.is_empty() {
        errors.push(syn::Error::new(
            m.ident.span(),
            format!(
                "the class `{}` needs a doc comment: its first line is the header printed \
                 before its tests, e.g. `/// Test the CLI` above `mod {}`",
                m.ident, m.ident
            ),
        ));
    }

    for item in items.iter_mut() {
        match item {
            Item::Fn(f) => {
                let Some(pos) = f.attrs.iter().position(valid::is_vpp_test) else {
                    continue;
                };
                let attr = f.attrs.remove(pos);
                if let Some(dup) = f.attrs.iter().find(|a| valid::is_vpp_test(a)) {
                    errors.push(syn::Error::new(
                        dup.span(),
                        "#[vpp_test] written twice on one test; merge the options into one",
                    ));
                }
                f.attrs.retain(|a| !valid::is_vpp_test(a));
                let opts = valid::attr_tokens(&attr)
                    .and_then(|t| args::parse(t, Scope::Test))
                    .unwrap_or_else(|e| {
                        errors.push(e);
                        Options::default()
                    });
                errors.extend(valid::test_signature(f));
                tests.push(Test {
                    ident: f.sig.ident.clone(),
                    doc: valid::doc_text(&f.attrs),
                    opts,
                });
            }
            Item::Mod(inner) => {
                if inner.attrs.iter().any(valid::is_vpp_test) {
                    errors.push(syn::Error::new(
                        inner.ident.span(),
                        "test classes cannot be nested: move this module out of the class",
                    ));
                    inner.attrs.retain(|a| !valid::is_vpp_test(a));
                }
            }
            other => {
                let span = item_span(other);
                if let Some(attrs) = item_attrs(other) {
                    if attrs.iter().any(valid::is_vpp_test) {
                        errors.push(syn::Error::new(
                            span,
                            "#[vpp_test] inside a class goes on a `fn` (a test)",
                        ));
                        attrs.retain(|a| !valid::is_vpp_test(a));
                    }
                }
            }
        }
    }

    if !errors.is_empty() {
        let errs = errors.into_iter().map(|e| e.to_compile_error());
        return quote!(#m #(#errs)*);
    }

    let generated = generate(&m, &doc, &opts, &tests);
    if let Some((_, items)) = m.content.as_mut() {
        items.push(Item::Verbatim(generated));
    }
    quote!(#m)
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        Item::Struct(s) => &mut s.attrs,
        Item::Enum(e) => &mut e.attrs,
        Item::Const(c) => &mut c.attrs,
        Item::Static(s) => &mut s.attrs,
        Item::Trait(t) => &mut t.attrs,
        Item::Type(t) => &mut t.attrs,
        Item::Union(u) => &mut u.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Use(u) => &mut u.attrs,
        Item::Macro(m) => &mut m.attrs,
        _ => return None,
    })
}

fn tags(opts: &Options) -> TokenStream {
    let tags = opts.tags.iter().map(|t| {
        let v = format_ident!("{}", t.variant, span = t.span);
        quote!(::asf_core::__private::Tag::#v)
    });
    quote!(&[#(#tags),*])
}

fn tokens(lit: &Option<LitStr>) -> TokenStream {
    let words: Vec<String> = lit
        .as_ref()
        .map(|l| l.value().split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    quote!(&[#(#words),*])
}

fn hook(path: &Option<syn::Path>) -> TokenStream {
    match path {
        None => quote!(::core::option::Option::None),
        Some(p) => quote_spanned! {p.span()=>
            ::core::option::Option::Some(|t: &mut ::asf_core::TestCase| -> ::asf_core::TestResult {
                ::asf_core::__private::IntoTestResult::into_test_result(#p(t))
            })
        },
    }
}

fn host_needs(opts: &Options) -> TokenStream {
    let root = opts.requires_root;
    let programs = &opts.requires_programs;
    let skip_if = match &opts.skip_if {
        None => quote!(::core::option::Option::None),
        Some(p) => quote_spanned! {p.span()=>
            ::core::option::Option::Some({
                let check: fn() -> ::core::option::Option<::std::string::String> = #p;
                check
            })
        },
    };
    let vpp_release = match &opts.requires_vpp {
        None => quote!(::core::option::Option::None),
        Some(r) => quote!(::core::option::Option::Some(#r)),
    };
    quote! {
        ::asf_core::__private::HostNeeds {
            root: #root,
            programs: &[#(#programs),*],
            skip_if: #skip_if,
            vpp_release: #vpp_release,
        }
    }
}

fn opt_u32(v: Option<(u32, proc_macro2::Span)>) -> TokenStream {
    match v {
        Some((n, _)) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    }
}

fn generate(m: &ItemMod, doc: &str, opts: &Options, tests: &[Test]) -> TokenStream {
    let ident = &m.ident;
    let name = opts
        .name
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| ident.to_string());
    let class_tags = tags(opts);
    let workers = match opts.workers {
        Some((n, _)) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let helpers = opts.helpers.map_or(0, |(n, _)| n);
    let vpp_config = tokens(&opts.vpp_config);
    let plugin_config = tokens(&opts.plugin_config);
    let statseg_config = tokens(&opts.statseg_config);
    let set_up_class = hook(&opts.set_up_class);
    let tear_down_class = hook(&opts.tear_down_class);
    let set_up = hook(&opts.set_up);
    let tear_down = hook(&opts.tear_down);
    let line = quote_spanned!(ident.span()=> ::core::line!());
    let show_at_teardown = &opts.show_at_teardown;
    let class_timeout = opt_u32(opts.timeout);
    let api_timeout = opt_u32(opts.api_timeout);
    let requires_plugins = &opts.requires_plugins;
    let requires_messages = &opts.requires_messages;
    let requires_cli = &opts.requires_cli;
    let plugins = match &opts.plugins {
        None => quote!(::core::option::Option::None),
        Some(list) => quote!(::core::option::Option::Some(&[#(#list),*])),
    };
    let keep_vpp_objects = opts.keep_vpp_objects;
    let class_host = host_needs(opts);

    let submits = tests.iter().map(|t| {
        let fn_ident = &t.ident;
        let test_name = fn_ident.to_string();
        let test_doc = &t.doc;
        let test_tags = tags(&t.opts);
        let expected_failure = t.opts.expected_failure.is_some();
        let ignore = match &t.opts.ignore {
            None => quote!(::core::option::Option::None),
            Some((None, _)) => quote!(::core::option::Option::Some("")),
            Some((Some(reason), _)) => quote!(::core::option::Option::Some(#reason)),
        };
        let test_line = quote_spanned!(fn_ident.span()=> ::core::line!());
        let timeout = opt_u32(t.opts.timeout);
        let host = host_needs(&t.opts);
        let call = quote_spanned! {fn_ident.span()=>
            ::asf_core::__private::IntoTestResult::into_test_result(#fn_ident(t))
        };
        quote! {
            ::asf_core::__private::inventory::submit! {
                ::asf_core::__private::TestDesc {
                    class: &__ASF_CLASS,
                    name: #test_name,
                    doc: #test_doc,
                    line: #test_line,
                    tags: #test_tags,
                    expected_failure: #expected_failure,
                    ignore: #ignore,
                    timeout: #timeout,
                    host: #host,
                    run: |t: &mut ::asf_core::TestCase| -> ::asf_core::TestResult { #call },
                }
            }
        }
    });

    quote! {
        #[doc(hidden)]
        #[allow(dead_code, reason = "unused only in a class without tests")]
        static __ASF_CLASS: ::asf_core::__private::ClassDesc = ::asf_core::__private::ClassDesc {
            module_path: ::core::module_path!(),
            name: #name,
            doc: #doc,
            file: ::core::file!(),
            line: #line,
            tags: #class_tags,
            workers: #workers,
            helpers: #helpers,
            vpp_config: #vpp_config,
            plugin_config: #plugin_config,
            statseg_config: #statseg_config,
            set_up_class: #set_up_class,
            tear_down_class: #tear_down_class,
            set_up: #set_up,
            tear_down: #tear_down,
            show_at_teardown: &[#(#show_at_teardown),*],
            keep_vpp_objects: #keep_vpp_objects,
            timeout: #class_timeout,
            plugins: #plugins,
            requires_plugins: &[#(#requires_plugins),*],
            requires_messages: &[#(#requires_messages),*],
            api_timeout: #api_timeout,
            requires_cli: &[#(#requires_cli),*],
            host: #class_host,
        };
        #(#submits)*
    }
}
