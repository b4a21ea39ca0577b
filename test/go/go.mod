module lspkit/test/go

go 1.19
