# Omnibus software definition for the bundled PostgreSQL server.
name "postgresql"
default_version "9.2.18"

dependency "zlib"
dependency "openssl"
dependency "libedit"

source url: "https://ftp.postgresql.org/pub/source/v#{version}/postgresql-#{version}.tar.bz2"

build do
  command "./configure --prefix=#{install_dir}/embedded --with-openssl"
  make "world -j #{workers}"
  make "install-world"
end
